export { appendAudit } from './append-audit';
export { type AuditRepository, createAuditRepository } from './audit-repository';
