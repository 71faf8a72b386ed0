// Two bits of page state the repository and artifact pages share: a load with its loading flag and
// its error (shown in place, never swallowed), and the question a delete asks before it goes.

export class Load {
  loading = $state(false);
  error = $state<unknown>(null);

  /** `loading` true: a page that loads as it opens shows "Loading…", not an empty list, until it has. */
  constructor(loading = false) {
    this.loading = loading;
  }

  /** Runs `work`, keeping its error; `quiet` leaves what is shown in place (a refresh, not a first load). */
  async run(work: () => Promise<void>, quiet = false): Promise<void> {
    this.loading = !quiet;
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }
}

export class Question {
  open = $state(false);
  title = $state('');
  text = $state('');
  action = $state<() => Promise<void>>(async () => {});

  ask(title: string, text: string, action: () => Promise<void>): void {
    this.title = title;
    this.text = text;
    this.action = action;
    this.open = true;
  }
}
