// Projects and people in a real browser against the real stack (issue #25): an administrator
// makes a private project, its members and a robot in the console, the robot's secret pushes with
// skopeo until the robot is disabled, the quota shows as a bar, the audit log shows it all; a guest
// sees no controls, an outsider sees nothing, a CLI secret made on the account page works, and the
// project is deleted once its repository is.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, createPerson, inspectImage, pushImage, screenshot, signIn, unique, type Person } from './harness';

test.describe.configure({ mode: 'serial' });

const project = unique('ui');
let developer: Person;
let guest: Person;

/** Runs `check` until it stops throwing (revocations and the audit consumer take a moment). */
async function eventually(check: () => void | Promise<void>, seconds = 10): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name }).click();
}

test('an administrator makes a private project with members and a robot that pushes until disabled', async ({ page }) => {
  [developer, guest] = await Promise.all([createPerson('dev'), createPerson('guest')]);
  await signIn(page, ADMIN, '/projects');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await screenshot(page, '10-projects');

  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Not A Name');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toContainText('lowercase letters and digits');
  await dialog.getByLabel('Name').fill(project);
  await expect(dialog.getByLabel(/Private/)).toBeChecked();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${project}$`));
  await expect(page.getByRole('heading', { name: project })).toBeVisible();
  await expect(page.getByText('private', { exact: true })).toBeVisible();
  await expect(page.getByTestId('your-role')).toHaveText('Project admin');
  await screenshot(page, '11-project');

  await openTab(page, 'Members');
  for (const [who, role] of [[developer, 'Developer'], [guest, 'Guest']] as const) {
    await page.getByRole('button', { name: 'Add member' }).click();
    const add = page.getByRole('dialog', { name: /Add a member/ });
    await add.getByLabel('Username').fill(who.username);
    await add.getByLabel('Role').selectOption({ label: role });
    await add.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByLabel(`Role of ${who.username}`)).toHaveValue(role === 'Guest' ? 'guest' : 'developer');
  }
  await screenshot(page, '12-members');

  await openTab(page, 'Robots');
  await page.getByRole('button', { name: 'New robot' }).click();
  const create = page.getByRole('dialog', { name: /New robot/ });
  await create.getByLabel('Name').fill('ci');
  await create.getByLabel('push').check();
  await create.getByRole('button', { name: 'Create' }).click();
  const secretDialog = page.getByRole('dialog', { name: `Secret of robot$${project}+ci` });
  const secret = (await secretDialog.getByTestId('secret').textContent())!.trim();
  expect(secret.length).toBeGreaterThan(20);
  await expect(secretDialog.getByTestId('login-command')).toContainText(`docker login -u 'robot$${project}+ci'`);
  await screenshot(page, '13-robot-secret');
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByRole('cell', { name: `robot$${project}+ci`, exact: true })).toBeVisible();

  const robot = { username: `robot$${project}+ci`, password: secret };
  expect(pushImage(`${project}/app:1`, robot)).toMatch(/^sha256:/);
  await page.getByRole('button', { name: `Disable robot$${project}+ci` }).click();
  await expect(page.getByText('disabled', { exact: true })).toBeVisible();
  await eventually(() => expect(() => pushImage(`${project}/app:2`, robot)).toThrow());

  await openTab(page, 'Settings');
  await expect(page.getByTestId('quota-text')).toContainText('no quota');
  await page.getByLabel('No quota').uncheck();
  await page.getByLabel('Limit').fill('1');
  await page.getByLabel('Unit').selectOption('GiB');
  await page.getByRole('button', { name: 'Save quota' }).click();
  await expect(page.getByTestId('quota-text')).toContainText('of 1.0 GiB used');
  await expect(page.getByRole('progressbar', { name: 'Quota used' })).toBeVisible();
  await screenshot(page, '14-settings');

  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?project=${project}$`));
  await expect(page.getByLabel('Project', { exact: true })).toHaveValue(project);
  const table = page.locator('table');
  // auth writes its audit log from Kafka: the entries arrive within seconds.
  await eventually(async () => {
    await page.reload();
    for (const label of ['Project created', 'Member added', 'Robot created', 'Robot changed', 'Project updated', 'Artifact pushed']) {
      await expect(table.getByRole('cell', { name: label, exact: true }).first()).toBeVisible({ timeout: 1000 });
    }
  }, 20);
  await expect(table.getByText(`role: guest, username: ${guest.username}`)).toBeVisible();
  await page.getByLabel('Event').selectOption({ label: 'Member added' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/type=io\.berth\.member\.created\.v1/);
  await expect(table.getByRole('row')).toHaveCount(3);
  await screenshot(page, '15-audit');
});

test('a guest sees the project without any controls', async ({ page }) => {
  await signIn(page, guest, `/projects/${project}`);
  await expect(page.getByTestId('your-role')).toHaveText('Guest');
  const tabs = page.getByRole('navigation', { name: 'Project' });
  await expect(tabs.getByRole('link', { name: 'Members' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Robots' })).toHaveCount(0);
  await expect(tabs.getByRole('link', { name: 'Retention' })).toHaveCount(0);
  await expect(tabs.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

  await openTab(page, 'Members');
  await expect(page.getByRole('cell', { name: developer.username, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await expect(page.getByRole('combobox')).toHaveCount(0);

  await openTab(page, 'Settings');
  await expect(page.getByTestId('quota-text')).toContainText('of 1.0 GiB used');
  await expect(page.getByLabel(/Public/)).toBeDisabled();
  await expect(page.getByLabel('Refuse pulls of vulnerable images')).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Save/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add rule' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete project' })).toHaveCount(0);
  await screenshot(page, '17-guest-settings');
  // At a phone's width nothing but a table's own scroller is wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, '19-phone-settings');
  await page.setViewportSize({ width: 1366, height: 800 });

  // Robots are the projectAdmins': the address alone does not open them.
  await page.goto(`/projects/${project}/robots`);
  await expect(page.getByText('no “robots” page you may open')).toBeVisible();
});

test('a person who is no member finds no trace of the private project', async ({ page }) => {
  const outsider = await createPerson('outsider');
  await signIn(page, outsider, `/projects/${project}`);
  await expect(page.getByText('No such project, or you may not see it.')).toBeVisible();
  await screenshot(page, '18-not-found');
  // The same words as for a project that does not exist.
  await page.goto(`/projects/${unique('nothing')}`);
  await expect(page.getByText('No such project, or you may not see it.')).toBeVisible();
  await page.goto('/projects');
  await page.getByLabel('Search projects').fill(project);
  await expect(page.getByText(`No project's name contains “${project}”.`)).toBeVisible();
  await page.goto(`/audit?project=${project}`);
  await expect(page.getByText(`You may not see the audit log of ${project}`)).toBeVisible();
});

test('a CLI secret made on the account page pulls with skopeo until revoked', async ({ page }) => {
  await signIn(page, developer, '/account');
  await expect(page.getByTestId('username')).toHaveText(developer.username);
  await expect(page.getByTestId('cli-secret-status')).toHaveText('You have no CLI secret.');
  await page.getByRole('button', { name: 'Make a CLI secret' }).click();
  const secret = (await page.getByTestId('secret').textContent())!.trim();
  expect(secret).toMatch(/^berthcli_/);
  await expect(page.getByTestId('login-command')).toContainText(`--password-stdin`);
  await expect(page.getByTestId('cli-secret-status')).toContainText('You have a CLI secret');
  await screenshot(page, '16-account');

  const creds = { username: developer.username, password: secret };
  expect(inspectImage(`${project}/app:1`, creds)).toContain('"schemaVersion"');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByTestId('secret')).toHaveCount(0);

  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByRole('dialog', { name: 'Revoke CLI secret' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('cli-secret-status')).toHaveText('You have no CLI secret.');
  await eventually(() => expect(() => inspectImage(`${project}/app:1`, creds)).toThrow());
});

test('a project is deleted only once its repositories are: the dialog says why, then it goes', async ({ page }) => {
  await signIn(page, ADMIN, `/projects/${project}/settings`);
  await page.getByRole('button', { name: 'Delete project' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete project' });
  await expect(dialog).toContainText(`Delete project ${project}?`);
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(dialog.getByRole('alert')).toContainText('still has repositories');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await openTab(page, 'Repositories');
  await page.getByRole('button', { name: `Delete repository ${project}/app` }).click();
  await page.getByRole('dialog', { name: 'Delete repository' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No repositories')).toBeVisible();

  await openTab(page, 'Settings');
  await page.getByRole('button', { name: 'Delete project' }).click();
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.getByLabel('Search projects').fill(project);
  await expect(page.getByText(`No project's name contains “${project}”.`)).toBeVisible();
  expect(() => inspectImage(`${project}/app:1`, ADMIN)).toThrow();
});
