import { expect, test } from '@playwright/test';
import { ADMIN, GATEWAY, KEYCLOAK, createPerson, screenshot, signIn } from './harness';

test('the console signs in through Keycloak and out again', async ({ page }) => {
  const person = await createPerson('shell');
  await page.goto('/projects');
  // Not signed in: the console sends the browser to Keycloak's own page; no password field is ours.
  await expect(page).toHaveURL(new RegExp(`^${KEYCLOAK}/realms/berth/protocol/openid-connect/auth\\?`));
  expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
  await screenshot(page, '00-keycloak-login');
  await page.locator('#username').fill(person.username);
  await page.locator('#password').fill(person.password);
  await page.locator('#kc-login').click();
  await expect(page).toHaveURL(`${GATEWAY}/projects`);
  await expect(page.getByRole('button', { name: person.username })).toBeVisible();

  await page.getByRole('button', { name: person.username }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out of Keycloak too: back at the console's start, Keycloak asks for the password again
  // (with its session still alive it would sign the browser in without asking).
  await expect(page.locator('#password')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${KEYCLOAK}/realms/berth/protocol/openid-connect/auth\\?`));
});

test('an administrator sees the administration pages in the menu', async ({ page }) => {
  await signIn(page, ADMIN);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Projects', 'Audit log', 'Garbage collection', 'Replication', 'Scanners']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
});

test('the console answers with a strict Content-Security-Policy and hashed, cached assets', async ({ request }) => {
  const index = await request.get('/projects');
  expect(index.status()).toBe(200);
  expect(index.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(index.headers()['cache-control']).toBe('no-cache');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())![1];
  const asset = await request.get(script, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()['cache-control']).toContain('immutable');
});

test('no page breaks the Content-Security-Policy', async ({ page }) => {
  // Chromium reports every blocked script, style, image or connection on the console.
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, ADMIN);
  for (const path of ['/projects', '/audit', '/account', '/admin/gc', '/admin/replication', '/admin/scanners']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.getByRole('button', { name: 'admin' }).click(); // the user menu, a dialog-like popup
  expect(violations).toEqual([]);
});

test('the console is usable by keyboard alone, with a visible focus', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto('/projects');
  // The first Tab reaches the skip link, which takes focus past the header to the page.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  // Every focused control shows an outline (the global :focus-visible rule).
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
  // Tab to the audit log link and follow it with Enter.
  const audit = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' });
  for (let i = 0; i < 10 && !(await audit.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(audit).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/audit$/);
});

test.describe('over HTTPS', () => {
  test.use({ baseURL: GATEWAY.replace(/^http:\/\/([^:/]+):\d+/, 'https://$1:5443'), ignoreHTTPSErrors: true });

  test('the console signs in on the gateway\'s HTTPS port too', async ({ page }) => {
    await signIn(page, ADMIN);
    expect(new URL(page.url()).protocol).toBe('https:');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
});
