// What a role may do in a project, as docs/security.md's table says (ProjectRole in
// libs/security). The console only hides what a role may not do; the API refuses it anyway.

export type Role = 'projectAdmin' | 'maintainer' | 'developer' | 'guest' | 'limitedGuest';

export const ROLES: Role[] = ['projectAdmin', 'maintainer', 'developer', 'guest', 'limitedGuest'];

export const ROLE_LABELS: Record<Role, string> = {
  projectAdmin: 'Project admin',
  maintainer: 'Maintainer',
  developer: 'Developer',
  guest: 'Guest',
  limitedGuest: 'Limited guest',
};

export interface Caller {
  username: string;
  admin: boolean;
}

export interface Abilities {
  pull: boolean;
  push: boolean;
  delete: boolean;
  read: boolean;
  manage: boolean;
}

/** What the caller may do in a project, from their role in it (null: not a member). */
export function abilities(caller: Caller | null, role: Role | null, isPublic: boolean): Abilities {
  if (caller?.admin) {
    return { pull: true, push: true, delete: true, read: true, manage: true };
  }
  const rank = role ? ROLES.indexOf(role) : -1;
  const at = (worst: Role) => rank >= 0 && rank <= ROLES.indexOf(worst);
  return {
    pull: at('limitedGuest') || isPublic,
    push: at('developer'),
    delete: at('maintainer'),
    read: at('guest') || isPublic,
    manage: at('projectAdmin'),
  };
}
