/**
 * The few rules the newsletter pages add to app.css: English and French side by side on
 * wide screens, one above the other on narrow ones; the preview frames.
 */
export const newsletterCss = `
.nl-pair { display: grid; grid-template-columns: 1fr; gap: 0 2rem; }
@media (min-width: 50rem) { .nl-pair { grid-template-columns: 1fr 1fr; } }
.nl-pair textarea, .nl-pair input[type="text"] { width: 100%; max-width: none; box-sizing: border-box; }
textarea { font: inherit; padding: 0.5rem; border: 2px solid var(--ink, #1a1a1a); border-radius: 2px; }
.invalid textarea { border-color: var(--error, #b00020); }
fieldset.nl-event { border: 1px solid var(--line, #d0d4d9); margin: 0 0 1.5rem; padding: 1rem; }
fieldset.nl-event legend { font-weight: 600; padding: 0 0.25rem; }
.nl-preview { width: 100%; min-height: 32rem; border: 1px solid var(--line, #d0d4d9); background: #fff; }
.nl-text { white-space: pre-wrap; border: 1px solid var(--line, #d0d4d9); padding: 1rem; overflow-x: auto; }
.nl-crumbs { margin-bottom: 1rem; }
table.nl-table { border-collapse: collapse; width: 100%; }
table.nl-table th, table.nl-table td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line, #d0d4d9); }
.nl-actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1rem 0; }
`;
