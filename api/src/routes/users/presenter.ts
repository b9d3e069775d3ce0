import type { UserRecord } from '@catalog/db';
import type { UserDto } from '@catalog/domain';

/** A user as the API shows it: never the password hash (the record does not even carry it). */
export function presentUser(user: UserRecord): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
