import { useState, type FormEvent } from 'react';

import { ErrorMessage, Notice } from '@/components/ui/feedback';
import { Field } from '@/components/ui/field';

import { useCheckIn } from '../api/events';

export function CheckInForm() {
  const checkIn = useCheckIn();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    if (!value) { setError('Type or scan a ticket code.'); return; }
    setError(undefined);
    checkIn.mutate(value, { onSuccess: () => setCode('') });
  };
  return (
    <form className="form form--inline" onSubmit={submit} noValidate aria-label="Ticket check-in">
      <Field label="Ticket code" value={code} error={error} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
      <button type="submit" className="btn" disabled={checkIn.isPending}>{checkIn.isPending ? 'Checking…' : 'Check in'}</button>
      {checkIn.isSuccess && <Notice tone="success">Ticket <code>{checkIn.data.code}</code> checked in. Welcome!</Notice>}
      {checkIn.error && <ErrorMessage error={checkIn.error} title="Not checked in" />}
    </form>
  );
}
