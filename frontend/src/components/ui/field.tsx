import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

// The hint gives way to the error: only what is shown describes the control.
const describedBy = (id: string, error?: string, hint?: ReactNode) => (error ? `${id}-error` : hint ? `${id}-hint` : undefined);

function Note({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  if (error) return <small id={`${id}-error`} className="field__error">{error}</small>;
  return hint ? <small id={`${id}-hint`} className="field__hint">{hint}</small> : null;
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A labelled input with its error tied to it (aria-describedby) for screen readers. */
export function Field({ label, error, hint, id, className, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={!!error} aria-describedby={describedBy(inputId, error, hint)} {...input} />
      <Note id={inputId} error={error} hint={hint} />
    </div>
  );
}

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A labelled text of several lines (an address), its hint or error tied to it as a Field's. */
export function TextAreaField({ label, error, hint, id, className, ...area }: TextAreaProps) {
  const generated = useId();
  const areaId = id ?? generated;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={areaId}>{label}</label>
      <textarea id={areaId} aria-invalid={!!error} aria-describedby={describedBy(areaId, error, hint)} {...area} />
      <Note id={areaId} error={error} hint={hint} />
    </div>
  );
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}

export function SelectField({ label, error, hint, id, children, className, ...select }: SelectProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} aria-invalid={!!error} aria-describedby={describedBy(selectId, error, hint)} {...select}>
        {children}
      </select>
      <Note id={selectId} error={error} hint={hint} />
    </div>
  );
}
