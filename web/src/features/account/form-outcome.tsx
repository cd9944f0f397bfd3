// The end of an account form: what went wrong (translated), what went right (announced), and the
// submit button, disabled while the request runs.
import { ErrorNotice } from '../../components/error-notice.tsx';

interface Outcome {
  isError: boolean;
  isSuccess: boolean;
  isPending: boolean;
  error: unknown;
}

export function FormOutcome({
  mutation,
  success,
  submit,
  buttonClass = 'button',
}: {
  mutation: Outcome;
  success: string;
  submit: string;
  buttonClass?: string;
}) {
  return (
    <>
      {mutation.isError && <ErrorNotice error={mutation.error} />}
      {mutation.isSuccess && (
        <p className="notice success" role="status">
          {success}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={mutation.isPending}>
        {submit}
      </button>
    </>
  );
}
