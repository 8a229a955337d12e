/** What the audit log records; the admins' screen names each in the UI's language. */
export const AUDIT_TYPES = [
  'signIn',
  'signInFailed',
  'signInThrottled',
  'signOutEverywhere',
  'userCreated',
  'roleChanged',
  'userDeactivated',
  'userReactivated',
  'passwordLinkIssued',
  'passwordSet',
  'portalAccessGranted',
  'portalAccessRevoked',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];
