import { linkify } from './linkify';

/**
 * A note's body as plain text: React text nodes only (markup shows as the characters typed), line breaks
 * kept by the stylesheet (white-space: pre-wrap), and http(s) addresses as links that open in a new tab
 * without handing that tab a reference back to this page.
 */
export function NoteText({ text }: { text: string }) {
  return (
    <p className="note-body">
      {linkify(text).map((segment) =>
        segment.kind === 'link' ? (
          <a key={segment.start} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={segment.start}>{segment.text}</span>
        ),
      )}
    </p>
  );
}
