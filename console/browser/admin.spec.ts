// The administration pages in a real browser against the real stack (issue #25): an administrator
// starts a gc dry run and reads its log, sets the gc schedule, gives a new project a retention rule
// and previews it, registers this berth as its own replication endpoint, makes a manual policy
// that copies a pushed image into a second project and follows its execution, and sees the
// built-in scanner; someone who is not an administrator is told the pages are not theirs.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, API, berth, createPerson, createProject, pushImage, screenshot, signIn, unique } from './harness';

test.describe.configure({ mode: 'serial' });

/** Waits until no gc run is running: the stack is shared, and gc runs one at a time (409 otherwise). */
async function gcIdle(): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const runs = await berth(ADMIN, 'GET', '/api/v1/system/gc?page_size=5');
    if (!runs.some((r: { status: string }) => r.status === 'running')) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Replication' }).getByRole('link', { name }).click();
}

test('garbage collection: a dry run with its freed bytes and log, and the schedule', async ({ page }) => {
  const before = await berth(ADMIN, 'GET', '/api/v1/system/gc/schedule');
  try {
    await gcIdle();
    await signIn(page, ADMIN, '/admin/gc');
    await expect(page.getByRole('heading', { name: 'Garbage collection' })).toBeVisible();

    await page.getByRole('button', { name: 'Dry run' }).click();
    const started = page.getByRole('status').filter({ hasText: /Dry run \d+ started/ });
    await expect(started).toBeVisible();
    const id = /Dry run (\d+)/.exec((await started.textContent())!)![1];
    const row = page.locator(`[data-testid="gc-run"][data-run="${id}"]`);
    // The page polls while the run goes on: the row ends as succeeded without a reload.
    await expect(row).toContainText('succeeded', { timeout: 30_000 });
    await expect(row).toContainText('dry run');
    await expect(row).toContainText(/would free \d/);
    await row.getByRole('button', { name: `Log of run ${id}` }).click();
    await expect(page.getByLabel(`Log of gc run ${id}`)).toContainText('succeeded');

    await page.getByRole('button', { name: 'Edit schedule' }).click();
    await page.getByLabel('Cron expression (UTC)').fill('0 3 * *');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByRole('alert')).toContainText('5 fields');
    // A shape the console lets through but gc refuses: gc's own message is shown.
    await page.getByLabel('Cron expression (UTC)').fill('99 3 * * *');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByRole('alert')).not.toContainText('5 fields');
    await page.getByLabel('Cron expression (UTC)').fill('0 4 * * 0');
    await page.getByLabel('Dry runs only').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByTestId('gc-schedule')).toContainText('0 4 * * 0');
    await screenshot(page, '50-gc');
    // At a phone's width the history scrolls inside its frame; the page itself does not.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, '58-gc-phone');
  } finally {
    // The stack is shared: leave the schedule as it was.
    const { cron, dryRun, deleteUntagged, graceSeconds, orphans } = before;
    await berth(ADMIN, 'PUT', '/api/v1/system/gc/schedule', { cron, dryRun, deleteUntagged, graceSeconds, orphans });
  }
});

test('retention: a rule on a new project and a dry run that lists what it would delete', async ({ page }) => {
  const project = unique('ret');
  await createProject(project);
  await signIn(page, ADMIN, `/projects/${project}/retention`);
  await expect(page.getByRole('heading', { name: 'Retention' })).toBeVisible();
  await expect(page.getByText('No rules: retention deletes nothing')).toBeVisible();

  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await dialog.getByLabel('Keep').selectOption('latestPushedK');
  await dialog.getByLabel(/^N /).fill('');
  await dialog.getByRole('button', { name: 'Save rule' }).click();
  await expect(dialog.getByRole('alert')).toContainText('whole number');
  await dialog.getByLabel(/^N /).fill('3');
  await dialog.getByLabel('Repositories', { exact: true }).fill('app/**');
  await dialog.getByRole('button', { name: 'Save rule' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('retention-rule')).toContainText('matching app/**');
  await expect(page.getByTestId('retention-rule')).toContainText('keep the 3 most recently pushed');

  await page.getByRole('button', { name: 'Dry run' }).click();
  const execution = page.getByTestId('retention-execution').first();
  await expect(execution).toContainText('dry run');
  await expect(execution).toContainText('succeeded', { timeout: 20_000 });
  const details = page.getByTestId('retention-details');
  await expect(details).toContainText(/Execution \d+ \(dry run\)/);
  await expect(details).toContainText('succeeded');
  await expect(details).toContainText('No repository of the project was in scope.');
  await screenshot(page, '51-retention');
});

test('replication: this berth as its own endpoint, a manual policy, and its execution', async ({ page }) => {
  const source = unique('rsrc');
  const target = unique('rdst');
  await Promise.all([createProject(source), createProject(target)]);
  pushImage(`${source}/app:1.0`, ADMIN);
  const endpoint = unique('self');
  const policy = unique('copy');
  let endpointId: number | null = null;
  let policyId: number | null = null;
  try {
    await signIn(page, ADMIN, '/admin/replication');
    await expect(page.getByRole('heading', { name: 'Replication' })).toBeVisible();

    await page.getByRole('button', { name: 'New endpoint' }).click();
    let dialog = page.getByRole('dialog', { name: 'New endpoint' });
    await dialog.getByLabel('Name', { exact: true }).fill(endpoint);
    await dialog.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1');
    await dialog.getByLabel('User name').fill(ADMIN.username);
    await dialog.getByLabel('Password').fill(ADMIN.password);
    // Nothing listens there: the test says so before anything is saved.
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('ping-result')).toContainText('connection-refused');
    await dialog.getByLabel('URL', { exact: true }).fill(API);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('ping-result')).toContainText(`${endpoint} answers at ${API}`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('endpoint').filter({ hasText: endpoint });
    await expect(row).toContainText('admin (password set)');
    endpointId = (await berth(ADMIN, 'GET', '/api/v1/replication/endpoints'))
      .find((e: { name: string }) => e.name === endpoint).id;
    await row.getByRole('button', { name: `Test connection of ${endpoint}` }).click();
    await expect(row.getByTestId('ping-result')).toContainText('answers');
    await screenshot(page, '52-replication-endpoints');

    await openTab(page, 'Policies');
    await page.getByRole('button', { name: 'New policy' }).click();
    dialog = page.getByRole('dialog', { name: 'New policy' });
    await dialog.getByLabel('Name', { exact: true }).fill(policy);
    await dialog.getByLabel('Endpoint').selectOption({ label: `${endpoint} (${API})` });
    await dialog.getByLabel('Repositories').fill(`${source}/**`);
    await dialog.getByLabel('Destination namespace').fill(target);
    await expect(dialog.getByLabel('When')).toHaveValue('manual');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const listed = page.getByTestId('policy').filter({ hasText: policy });
    await expect(listed).toContainText(`push to ${endpoint}`);
    await expect(listed).toContainText('by hand');
    policyId = (await berth(ADMIN, 'GET', `/api/v1/replication/policies?name=${policy}`))[0].id;
    await screenshot(page, '53-replication-policies');

    await listed.getByRole('button', { name: `Run now ${policy}` }).click();
    await expect(page).toHaveURL(/\/admin\/replication\/executions\/\d+$/);
    await expect(page.getByText('succeeded', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
    const task = page.getByTestId('task').filter({ hasText: `${source}/app:1.0` });
    await expect(task).toContainText('succeeded');
    await expect(task).toContainText(`${target}/app:1.0`);
    await task.getByRole('button', { name: /Log of task/ }).click();
    await expect(page.getByLabel(/^Log of task/)).not.toBeEmpty();
    await screenshot(page, '54-replication-execution');

    await page.getByRole('link', { name: 'Replication executions' }).click();
    await expect(page.getByTestId('execution').filter({ hasText: policy }).first()).toContainText('succeeded');
    await screenshot(page, '55-replication-executions');
  } finally {
    if (policyId !== null) await berth(ADMIN, 'DELETE', `/api/v1/replication/policies/${policyId}`);
    if (endpointId !== null) await berth(ADMIN, 'DELETE', `/api/v1/replication/endpoints/${endpointId}`);
  }
});

test('scanners: the built-in scanner answers, and the vulnerability database shows its state', async ({ page }) => {
  await signIn(page, ADMIN, '/admin/scanners');
  const builtin = page.getByTestId('scanner').filter({ hasText: 'built-in' });
  await expect(builtin).toBeVisible();
  await builtin.getByRole('button', { name: /^Check/ }).click();
  await expect(builtin).toContainText('Answers:');
  await expect(page.getByTestId('vulndb')).toContainText('advisories');
  await screenshot(page, '56-scanners');
});

test('someone who is not an administrator is told the administration pages are not theirs', async ({ page }) => {
  const person = await createPerson('notadmin');
  await signIn(page, person, '/admin/gc');
  await expect(page.getByRole('heading', { name: 'Garbage collection' })).toBeVisible();
  await expect(page.getByTestId('admin-only')).toContainText('Only administrators');
  await expect(page.getByRole('button', { name: 'Dry run' })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Garbage collection' })).toHaveCount(0);
  await screenshot(page, '57-not-admin');
});
