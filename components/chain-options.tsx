import type { FieldError } from "./field";
import { Field, isErrorFor } from "./field";

export const CHAIN_OPTION_LABELS = [
  "Session name template",
  "DurationSeconds",
  "Interval between hops (ms)",
  "Session tags",
  "Transitive tag keys",
  "Source identity",
];

/** The chain's further options, collapsed until a person opens them. */
export function ChainOptions({ error }: { error: FieldError | null }) {
  const open = CHAIN_OPTION_LABELS.some((label) => isErrorFor(error, label));
  return (
    <details className="options" open={open || undefined}>
      <summary>Options</summary>
      <Field
        label="Session name template"
        id="chain-session-name"
        name="sessionNameTemplate"
        defaultValue="rolechain-{run}-{hop}"
        error={error}
        help="{run} and {hop} are filled in; kept to STS's 2-64 characters [\w+=,.@-]."
      />
      <Field
        label="DurationSeconds"
        id="chain-duration"
        name="durationSeconds"
        placeholder="3600 (STS default)"
        inputMode="numeric"
        error={error}
        help="900 to 3600 for chained hops (AWS caps role chaining at one hour)."
      />
      <Field
        label="Interval between hops (ms)"
        id="chain-interval"
        name="intervalMs"
        defaultValue="0"
        inputMode="numeric"
        error={error}
      />
      <label className="checkbox">
        <input type="checkbox" name="verify" defaultChecked />
        Verify each hop (GetCallerIdentity)
      </label>
      <label className="checkbox">
        <input type="checkbox" name="retryChainedDurationAt3600" />
        Retry chained hops at 3600 s
      </label>
      <TextareaField
        label="Session tags"
        id="chain-tags"
        name="sessionTags"
        error={error}
        placeholder={"team=platform\nproject=rolechain"}
        help="One key=value a line, set on hop 0."
      />
      <Field
        label="Transitive tag keys"
        id="chain-transitive"
        name="transitiveTagKeys"
        error={error}
        placeholder="team, project"
        help="Comma-separated: these tags pass down the whole chain."
      />
      <Field
        label="Source identity"
        id="chain-source-identity"
        name="sourceIdentity"
        error={error}
        help="Set on hop 0; AWS keeps it for the rest of the chain."
      />
    </details>
  );
}

export interface TextareaFieldProps {
  label: string;
  id: string;
  name: string;
  error: FieldError | null;
  placeholder?: string;
  help?: string;
  rows?: number;
  textareaRef?: React.Ref<HTMLTextAreaElement>;
  onChange?: () => void;
}

/** A labelled textarea with its error next to it, like `Field`. */
export function TextareaField(props: TextareaFieldProps) {
  const { label, id, name, error, placeholder, help, rows = 4, textareaRef, onChange } = props;
  const invalid = isErrorFor(error, label);
  const describedBy = [invalid ? `${id}-error` : "", help ? `${id}-help` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        ref={textareaRef}
        rows={rows}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        onChange={onChange}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
      />
      {help && (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      )}
      {invalid && error && (
        <span id={`${id}-error`} className="error" role="alert">
          {error.message}
        </span>
      )}
    </div>
  );
}
