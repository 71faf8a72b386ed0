// What a page does on a click: an Action runs one request at a time and keeps its error to show
// in place; a Question is what a confirmation dialog (ConfirmDialog) asks before it acts.
import { messageOf } from './api';

export class Action {
  busy = $state(false);
  error: string | null = $state(null);

  /** Runs `work`; true if it succeeded, else false with `error` set to the API's message. */
  async run(work: () => Promise<unknown> | unknown): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await work();
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Shows a mistake found before asking (a form's check), or clears the last error. */
  refuse(error: string | null | undefined): void {
    this.error = error ?? null;
  }
}

export class Question {
  open = $state(false);
  title = $state('');
  text = $state('');
  confirmLabel = $state('Delete');
  action = $state<() => Promise<unknown> | unknown>(() => {});

  /**
   * Opens the dialog: "Delete tag 1.0 of team/app?" names exactly what goes. `action` runs on the
   * answer; what it throws is shown in the dialog, which then stays open.
   */
  ask(title: string, text: string, action: () => Promise<unknown> | unknown, confirmLabel = 'Delete'): void {
    this.title = title;
    this.text = text;
    this.action = action;
    this.confirmLabel = confirmLabel;
    this.open = true;
  }
}
