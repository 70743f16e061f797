import { useState, type FormEvent } from 'react';

/** A one-line message box. `label` names the box, e.g. "Message #lobby". */
export function Composer({ label, disabled = false, onSend }: { label: string; disabled?: boolean; onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (disabled || text.trim() === '') return;
    onSend(text);
    setText('');
  };
  return (
    <form className="composer" onSubmit={submit}>
      <input aria-label={label} placeholder={label} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      <button type="submit" className="primary" disabled={disabled || text.trim() === ''}>
        Send
      </button>
    </form>
  );
}
