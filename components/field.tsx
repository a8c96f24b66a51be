import type { InputHTMLAttributes, ReactNode, Ref } from "react";

/** A refused input as the server actions return it: the field's label and the rule. */
export interface FieldError {
  field: string;
  message: string;
}

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  /** The visible label; also the name validation errors use for this field. */
  label: string;
  id: string;
  error?: FieldError | null;
  help?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** True when `error` is about the field labelled `label`. */
export function isErrorFor(error: FieldError | null | undefined, label: string): boolean {
  return !!error && error.field.toLowerCase() === label.toLowerCase();
}

/** A labelled input whose error sits next to it and is announced with it. */
export function Field({ label, id, error, help, ...input }: FieldProps) {
  const invalid = isErrorFor(error, label);
  const describedBy = [invalid ? `${id}-error` : "", help ? `${id}-help` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
        {...input}
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

/** An error no field owns (the target failed, the run could not start). */
export function FormError({ error, labels }: { error: FieldError | null; labels: string[] }) {
  if (!error || labels.some((label) => isErrorFor(error, label))) return null;
  return (
    <p className="form-error" role="alert">
      {error.field ? `${error.field}: ` : ""}
      {error.message}
    </p>
  );
}
