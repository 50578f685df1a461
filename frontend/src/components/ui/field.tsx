import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A labelled input with its error tied to it (aria-describedby) for screen readers. */
export function Field({ label, error, hint, id, className, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  // The hint gives way to the error: only what is shown describes the input.
  const describedBy = error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={!!error} aria-describedby={describedBy} {...input} />
      {hint && !error && <small id={`${inputId}-hint`} className="field__hint">{hint}</small>}
      {error && <small id={`${inputId}-error`} className="field__error">{error}</small>}
    </div>
  );
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string;
  children: ReactNode;
}

export function SelectField({ label, error, id, children, className, ...select }: SelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} aria-invalid={!!error} aria-describedby={error ? `${selectId}-error` : undefined} {...select}>
        {children}
      </select>
      {error && <small id={`${selectId}-error`} className="field__error">{error}</small>}
    </div>
  );
}
