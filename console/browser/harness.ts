// What the browser tests share: the stack's addresses and credentials, people made in the real
// Keycloak, setup through the real APIs (as the administrator, with Basic credentials), images
// pushed with skopeo, sign-in through Keycloak's own login page, and screenshots kept as artefacts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** Where the browser opens the console: the gateway, or a Vite dev server in front of it (npm run dev). */
export const GATEWAY = process.env.BERTH_GATEWAY ?? 'http://127.0.0.1:5000';
/** The gateway itself, for the API calls of the setup and for skopeo. */
export const API = process.env.BERTH_API ?? 'http://127.0.0.1:5000';
export const REGISTRY_HOST = new URL(API).host;
export const KEYCLOAK = process.env.BERTH_KEYCLOAK ?? 'http://127.0.0.1:8180';
export const ADMIN_PASSWORD = process.env.BERTH_ADMIN_PASSWORD ?? 'berth-admin';
export const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };
export const SCREENSHOTS = join(import.meta.dirname, 'results', 'screenshots');

export interface Person {
  username: string;
  password: string;
}

/** A name no earlier run used: the tests share the stack with everything else. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

function basic(who: Person): string {
  return 'Basic ' + Buffer.from(`${who.username}:${who.password}`).toString('base64');
}

/** A call to berth's API through the gateway; fails the test on an unexpected status. */
export async function berth(who: Person, method: string, path: string, body?: unknown, expected = [200, 201, 204]): Promise<any> {
  const answer = await fetch(API + path, {
    method,
    headers: { Authorization: basic(who), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (!expected.includes(answer.status)) {
    throw new Error(`${method} ${path} as ${who.username}: ${answer.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

async function keycloakAdminToken(): Promise<string> {
  const answer = await fetch(`${KEYCLOAK}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!answer.ok) throw new Error(`Keycloak's admin token: ${answer.status}`);
  return (await answer.json()).access_token;
}

/** A new person in the realm berth, with a password they can sign in with at once. */
export async function createPerson(prefix: string): Promise<Person> {
  const person = { username: unique(prefix), password: `pw-${unique('x')}` };
  const token = await keycloakAdminToken();
  const answer = await fetch(`${KEYCLOAK}/admin/realms/berth/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: person.username, enabled: true, email: `${person.username}@berth.test`, emailVerified: true,
      firstName: 'Browser', lastName: 'Test', requiredActions: [],
      credentials: [{ type: 'password', value: person.password, temporary: false }],
    }),
  });
  if (answer.status !== 201) throw new Error(`creating ${person.username} in Keycloak: ${answer.status} ${await answer.text()}`);
  return person;
}

export async function createProject(name: string, isPublic = false): Promise<void> {
  await berth(ADMIN, 'POST', '/api/v1/projects', { name, public: isPublic });
}

export async function addMember(project: string, username: string, role: string): Promise<void> {
  await berth(ADMIN, 'POST', `/api/v1/projects/${project}/members`, { username, role });
}

/**
 * Pushes a one-layer image built offline with umoci, with skopeo and Basic credentials (a user's
 * password or a robot's secret). Returns the manifest digest skopeo reports.
 */
export function pushImage(reference: string, creds: Person, layerBytes = 4096): string {
  const work = mkdtempSync(join(tmpdir(), 'berth-browser-'));
  try {
    const layout = join(work, 'layout');
    const file = join(work, 'payload.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: layerBytes }, () => Math.floor(Math.random() * 256))));
    execFileSync('umoci', ['init', '--layout', layout]);
    execFileSync('umoci', ['new', '--image', `${layout}:1`]);
    execFileSync('umoci', ['insert', '--image', `${layout}:1`, file, '/payload.bin']);
    const digestFile = join(work, 'digest');
    execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--dest-creds', `${creds.username}:${creds.password}`,
      '--digestfile', digestFile, `oci:${layout}:1`, `docker://${REGISTRY_HOST}/${reference}`], { stdio: 'pipe' });
    return execFileSync('cat', [digestFile]).toString().trim();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Pulls with skopeo to prove credentials work; throws with skopeo's message when refused. */
export function inspectImage(reference: string, creds: Person): string {
  return execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', `${creds.username}:${creds.password}`,
    `docker://${REGISTRY_HOST}/${reference}`], { stdio: 'pipe' }).toString();
}

/** Signs in through Keycloak's real login page, starting at `path` of the console. */
export async function signIn(page: Page, who: Person, path = '/projects'): Promise<void> {
  await page.goto(path);
  await page.locator('#username').fill(who.username);
  await page.locator('#password').fill(who.password);
  await page.locator('#kc-login').click();
  await expect(page.getByRole('button', { name: new RegExp(`^${who.username}`) })).toBeVisible();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Pushes an OCI index of one small image per platform ("linux/amd64", "linux/arm64/v8"), built
 * offline with umoci (each image's config names its os and architecture), with skopeo --all.
 * Returns the index's digest.
 */
export function pushIndex(reference: string, creds: Person, platforms: string[]): string {
  const work = mkdtempSync(join(tmpdir(), 'berth-browser-'));
  try {
    const layout = join(work, 'layout');
    execFileSync('umoci', ['init', '--layout', layout]);
    const manifests = platforms.map((platform, i) => {
      const [os, architecture, variant] = platform.split('/');
      const image = `${layout}:p${i}`;
      const file = join(work, `payload-${i}.bin`);
      writeFileSync(file, Buffer.from(Array.from({ length: 2048 }, () => Math.floor(Math.random() * 256))));
      execFileSync('umoci', ['new', '--image', image]);
      execFileSync('umoci', ['config', '--image', image, '--os', os, '--architecture', architecture]);
      execFileSync('umoci', ['insert', '--image', image, file, '/payload.bin']);
      return { os, architecture, variant };
    });
    // umoci keeps each image's manifest descriptor in index.json; the index lists them with their platforms.
    const layoutIndex = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    const descriptors = manifests.map((platform, i) => {
      const found = layoutIndex.manifests.find((m: any) => m.annotations?.['org.opencontainers.image.ref.name'] === `p${i}`);
      const { annotations: _, ...descriptor } = found;
      return { ...descriptor, platform: Object.fromEntries(Object.entries(platform).filter(([, v]) => v)) };
    });
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors,
    }));
    const hex = createHash('sha256').update(index).digest('hex');
    writeFileSync(join(layout, 'blobs', 'sha256', hex), index);
    layoutIndex.manifests.push({
      mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: index.length,
      annotations: { 'org.opencontainers.image.ref.name': 'multi' },
    });
    writeFileSync(join(layout, 'index.json'), JSON.stringify(layoutIndex));
    execFileSync('skopeo', ['copy', '--quiet', '--all', '--dest-tls-verify=false', '--dest-creds', `${creds.username}:${creds.password}`,
      `oci:${layout}:multi`, `docker://${REGISTRY_HOST}/${reference}`], { stdio: 'pipe' });
    return `sha256:${hex}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The ./berth of the stack under test (BERTH_SCRIPT: another checkout's, when this one only serves pages). */
const BERTH = process.env.BERTH_SCRIPT ?? join(import.meta.dirname, '..', '..', 'berth');

/** Stops one component of the local stack, for a test of what the console does without it. */
export function stopComponent(component: string): void {
  execFileSync(BERTH, ['stop', component], { stdio: 'pipe' });
}

/** Starts it again and waits until it is ready (./berth start waits). */
export function startComponent(component: string): void {
  execFileSync(BERTH, ['start', component], { stdio: 'pipe', timeout: 180_000 });
}
