/**
 * Child process of a parallel suite run ({@link runInChildProcesses}): runs the tasks it is sent, one
 * at a time, each in this process's own module state, and sends each result back. Exits when the
 * parent disconnects.
 */
import { errorMessage } from '../../errors.ts';
import { runSuiteTask, type SuiteTask } from './suite-task.ts';

interface TaskMessage {
  readonly id: number;
  readonly task: SuiteTask;
}

if (!process.send) throw new Error('suite-worker.ts runs as a child process of a suite run');
process.on('message', (m: TaskMessage) => {
  runSuiteTask(m.task).then(
    (result) => process.send!({ id: m.id, result }),
    (e: unknown) => process.send!({ id: m.id, error: errorMessage(e), stack: (e as Error)?.stack }),
  );
});
process.on('disconnect', () => process.exit(0));
