export { tenancy } from './app.ts';
export { hashPassword, verifyPassword } from './modules/identity/password.ts';
