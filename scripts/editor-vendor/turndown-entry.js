// Turndown (HTML → Markdown) and its GFM plugin (tables, strikethrough), as the global
// `TurndownService` with `TurndownService.gfm`, for pasting from Word, WPS and WeChat.
import TurndownService from 'turndown';
import { gfm } from 'turndown-plugin-gfm';
TurndownService.gfm = gfm;
window.TurndownService = TurndownService;
