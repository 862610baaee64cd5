//! Plain text from and for HTML: escaping, the text of rendered HTML (for search, feeds
//! and boards), and summaries cut at a sentence.

/// Escapes text for an HTML attribute or body.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cuts plain text to at most `max` characters, preferring the end of a sentence, and
/// marks a cut with `…`.
pub fn summarize(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let sentence_end = cut
        .char_indices()
        .filter(|(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .rfind(|&i| cut[..i].chars().count() >= max / 3);
    match sentence_end {
        Some(i) => cut[..i].to_string(),
        None => format!("{}…", cut.trim_end()),
    }
}

/// Appends the text of `html` (tags dropped, entities decoded) to `out`.
pub fn html_to_text(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_entities(&rest[..lt], out);
        let tag_end = rest[lt..]
            .find('>')
            .map(|i| lt + i + 1)
            .unwrap_or(rest.len());
        let tag = &rest[lt..tag_end];
        // Block ends separate words.
        if tag.starts_with("</p")
            || tag.starts_with("</h")
            || tag.starts_with("</li")
            || tag.starts_with("<br")
            || tag.starts_with("</t")
        {
            out.push('\n');
        }
        rest = &rest[tag_end..];
    }
    decode_entities(rest, out);
}

fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let (ch, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&nbsp;", ' '),
        ]
        .iter()
        .find(|(e, _)| tail.starts_with(e))
        .map(|(e, c)| (*c, e.len()))
        .unwrap_or(('&', 1));
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
}
