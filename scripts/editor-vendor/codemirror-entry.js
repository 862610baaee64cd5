// What the editor (site-template/editor/editor.js) takes from CodeMirror 6, as one
// global `CM`. Only these are bundled: esbuild drops the rest (CodeMirror's packages are
// free of side effects), so the embedded HTML, CSS and JavaScript grammars that
// @codemirror/lang-markdown can load never enter the bundle.
export { EditorState, Compartment, EditorSelection } from '@codemirror/state';
export {
  EditorView, keymap, placeholder, drawSelection, highlightActiveLine, dropCursor,
} from '@codemirror/view';
export {
  history, defaultKeymap, historyKeymap, undo, redo,
} from '@codemirror/commands';
export {
  syntaxHighlighting, defaultHighlightStyle, HighlightStyle, indentUnit,
} from '@codemirror/language';
export { markdownLanguage, markdownKeymap } from '@codemirror/lang-markdown';
export { yaml } from '@codemirror/lang-yaml';
export { tags } from '@lezer/highlight';
