/** The permissions the seeds name (issue 5); every route and service call checks one of them. */
export const permissions = [
  'radiology:view',
  'radiology:create',
  'radiology:edit',
  'radiology:upload',
  'radiology:annotate',
  'radiology:report',
  'radiology:manage',
] as const;
export type Permission = (typeof permissions)[number];

export const roles = [
  'ADMIN',
  'RADIOLOGIST',
  'RADIOLOGY_TECH',
  'REFERRING_PHYSICIAN',
  'DOCTOR',
  'PATIENT',
] as const;
export type Role = (typeof roles)[number];

const clinical: readonly Permission[] = [
  'radiology:view',
  'radiology:create',
  'radiology:edit',
  'radiology:upload',
  'radiology:annotate',
  'radiology:report',
];

/** The built-in roles. PATIENT has view only, and a patient scope narrows what it can view. */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  ADMIN: permissions,
  RADIOLOGIST: clinical,
  RADIOLOGY_TECH: clinical,
  REFERRING_PHYSICIAN: ['radiology:view'],
  DOCTOR: ['radiology:view'],
  PATIENT: ['radiology:view'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}

/** The union of the permissions of the roles, in the table's order. */
export function permissionsForRoles(list: readonly Role[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of list) for (const permission of rolePermissions[role]) granted.add(permission);
  return permissions.filter((p) => granted.has(p));
}
