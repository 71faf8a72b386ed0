// Projects, members and robots as the console shows them: name rules as auth checks them, the
// list's filter and paging, and which tabs of a project a role may use (docs/security.md).
import { ROLES, type Role } from './roles';

/** A project name as auth's ProjectService takes it: one repository-name component (libs/oci RepositoryName). */
const PROJECT_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** A robot's own name (auth's RobotService): at most 64 characters. */
const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Why `name` is not a project name, or null if it is one. The API's answer is shown as well. */
export function projectNameProblem(name: string): string | null {
  if (!name) return 'A project needs a name.';
  if (name.length > 255) return 'A project name is at most 255 characters.';
  if (!PROJECT_NAME.test(name)) return 'A project name is lowercase letters and digits, separated by . _ or -';
  return null;
}

export function robotNameProblem(name: string): string | null {
  if (!name) return 'A robot needs a name.';
  if (name.length > 64) return 'A robot name is at most 64 characters.';
  if (!ROBOT_NAME.test(name)) return 'A robot name is lowercase letters and digits, separated by . _ or -';
  return null;
}

/** The items whose name contains `query` (any case), in their order. */
export function filterByName<T extends { name: string }>(items: T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  return q ? items.filter((item) => item.name.toLowerCase().includes(q)) : items;
}

/** Page `page` (from 1) of `items`, `size` a page. */
export function pageOf<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}

export type Tab = 'repositories' | 'members' | 'robots' | 'settings' | 'retention';

export const TAB_LABELS: Record<Tab, string> = {
  repositories: 'Repositories', members: 'Members', robots: 'Robots', settings: 'Settings', retention: 'Retention',
};

function atLeast(role: Role | null, worst: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= 0 && ROLES.indexOf(role) <= ROLES.indexOf(worst);
}

/**
 * The tabs of a project the caller may use: repositories for whoever sees it; members and
 * settings from guest up (a public project's visitor who is no member may not read its members);
 * robots and retention for its projectAdmins (retention: gc's rule, docs/retention.md). System
 * administrators get all.
 */
export function visibleTabs(admin: boolean, role: Role | null): Tab[] {
  const tabs: Tab[] = ['repositories'];
  if (admin || atLeast(role, 'guest')) tabs.push('members');
  if (admin || atLeast(role, 'projectAdmin')) tabs.push('robots');
  if (admin || atLeast(role, 'guest')) tabs.push('settings');
  if (admin || atLeast(role, 'projectAdmin')) tabs.push('retention');
  return tabs;
}

/** Whether the caller may read the project's audit log (auth's AuditLogResource: projectAdmin or system administrator). */
export function mayReadProjectAudit(admin: boolean, role: Role | null): boolean {
  return admin || atLeast(role, 'projectAdmin');
}

export interface Member {
  username?: string;
  group?: string;
  role: Role;
}

export function memberKind(m: Member): 'user' | 'group' {
  return m.group !== undefined && m.group !== null ? 'group' : 'user';
}

export function memberName(m: Member): string {
  return (memberKind(m) === 'group' ? m.group : m.username) ?? '';
}

/** Users first, then groups, each by name. */
export function sortMembers(members: Member[]): Member[] {
  return [...members].sort((a, b) => memberKind(b).localeCompare(memberKind(a)) || memberName(a).localeCompare(memberName(b)));
}

export interface Robot {
  /** The full account name, robot$<project>+<name>. */
  name: string;
  permissions: Record<string, string[]>;
  expiresAt: string | null;
  disabled: boolean;
  createdAt: string;
}

/** "ci" of "robot$team+ci": the name the project's robot API takes in its paths. */
export function robotShortName(fullName: string, project: string): string {
  const prefix = `robot$${project}+`;
  return fullName.startsWith(prefix) ? fullName.slice(prefix.length) : fullName;
}

/** Whether the robot has expired at `now`. */
export function expired(robot: Robot, now: number = Date.now()): boolean {
  return robot.expiresAt !== null && new Date(robot.expiresAt).getTime() <= now;
}

/** A word for the shell: single-quoted when it holds anything but safe characters (robot names hold $ and +). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.:/@%=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `docker login` for a robot: docker asks for the secret, so it stays out of the shell's history. */
export function robotLoginCommand(robot: string, host: string): string {
  return `docker login -u ${shellQuote(robot)} ${host}`;
}

/** `docker login` with a CLI secret on stdin (never `-p`, which docker warns leaks into `ps`). */
export function cliLoginCommand(username: string, secret: string, host: string): string {
  return `printf '%s' ${shellQuote(secret)} | docker login -u ${shellQuote(username)} --password-stdin ${host}`;
}
