import { api, app } from './app.svelte';
import { segments } from './api';
import { pageSegment } from './router';
import { abilities, type Abilities } from './roles';
import type { ProjectView } from './types';

export interface LoadedProject {
  project: ProjectView;
  can: Abilities;
}

/** A project with what the signed-in person may do in it. */
export async function loadProject(name: string): Promise<LoadedProject> {
  const project = await api.get<ProjectView>(`/api/v1/projects/${encodeURIComponent(name)}`);
  return { project, can: abilities(app.user, project.currentUserRole ?? null, project.public) };
}

export function projectPath(project: string): string {
  return `/projects/${pageSegment(project)}`;
}

/** The console page of a repository; `repository` is the full name, project first. */
export function repositoryPath(project: string, repository: string): string {
  const inProject = repository.startsWith(project + '/') ? repository.slice(project.length + 1) : repository;
  return `${projectPath(project)}/repositories/${segments(inProject)}`;
}

export function artifactPath(project: string, repository: string, digest: string): string {
  return `${repositoryPath(project, repository)}/artifacts/${pageSegment(digest)}`;
}
