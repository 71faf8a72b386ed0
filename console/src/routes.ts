// Every page of the console and its address (docs/adr/0046-console.md). Repository names may hold
// slashes ("*repo"); the artifact route comes before the repository route so that its suffix wins.
import type { Component } from 'svelte';
import { route } from './lib/router';
import Projects from './pages/Projects.svelte';
import Project from './pages/Project.svelte';
import Repository from './pages/Repository.svelte';
import Artifact from './pages/Artifact.svelte';
import Audit from './pages/Audit.svelte';
import Account from './pages/Account.svelte';
import Gc from './pages/admin/Gc.svelte';
import Replication from './pages/admin/Replication.svelte';
import Execution from './pages/admin/Execution.svelte';
import Scanners from './pages/admin/Scanners.svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Page = Component<any>;

export const routes = [
  route<Page>('/projects', Projects),
  route<Page>('/projects/:project/repositories/*repo/artifacts/:digest', Artifact),
  route<Page>('/projects/:project/repositories/*repo', Repository),
  route<Page>('/projects/:project', Project),
  route<Page>('/projects/:project/:tab', Project),
  route<Page>('/audit', Audit),
  route<Page>('/account', Account),
  route<Page>('/admin/gc', Gc),
  route<Page>('/admin/replication', Replication),
  route<Page>('/admin/replication/executions/:id', Execution),
  route<Page>('/admin/scanners', Scanners),
];
