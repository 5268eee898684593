export { tenancy } from './app.ts';
export { hashPassword, verifyPassword } from './modules/identity/password.ts';
export { OperatorService } from './modules/operator/operator.service.ts';
