// The names replication endpoints, policies and scanners take (the services' NAME pattern:
// EndpointRequests, PolicyChecks, ScannerRequests): 1 to 64 lower-case letters and digits
// separated by single '.', '_' or '-'.
const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Null if the services take the name, else why not. */
export function nameProblem(name: string): string | null {
  if (!NAME.test(name) || name.length > 64) {
    return 'The name is 1 to 64 lower-case letters and digits, separated by single ".", "_" or "-"';
  }
  return null;
}
