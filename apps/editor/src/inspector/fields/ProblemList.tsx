import { t, useLang } from '../../i18n';
import { problemText } from '../model/problem-text';

/** Validation messages next to a field, in the user's words and language when the shape is known. */
export function ProblemList({ problems, testId }: { problems: readonly string[]; testId: string }) {
  useLang();
  if (problems.length === 0) return null;
  return (
    <ul className="sbf-problems" data-testid={testId}>
      {problems.map((message) => {
        const known = problemText(message);
        const text = known ? t(known.key, known.vars) : message;
        // An unmapped key (a new zod wording) falls back to the original message, never to the key.
        return (
          <li key={message} title={message}>
            {known && text !== known.key ? text : message}
          </li>
        );
      })}
    </ul>
  );
}
