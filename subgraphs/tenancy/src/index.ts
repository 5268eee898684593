export { tenancy } from './app.ts';
export { hashPassword, verifyPassword } from './modules/identity/password.ts';
export { OperatorService } from './modules/operator/operator.service.ts';
export { recordRoomUpserts, recordRoomRemovals } from './modules/room-events/room-events.outbox.ts';
export { relayRoomEvents } from './modules/room-events/room-events.relay.ts';
export { ROOM_EVENT_RELAY_QUEUE, kickRoomEventRelay } from './modules/room-events/room-events.jobs.ts';
export { runOperatorCommand } from './operator-cli.ts';
export { recordAudit, auditTarget, type AuditContext, type AuditEntry, type AuditTarget } from './modules/audit/audit.ts';
export { AUDIT_ACTIONS, type AuditAction } from './modules/audit/audit-actions.ts';
