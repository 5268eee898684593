export { smartlock } from './app.ts';
export { hashVerificationCode } from './modules/recipient/verification-code.ts';
