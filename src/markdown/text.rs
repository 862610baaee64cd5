//! Plain text from and for HTML: escaping, the text of rendered HTML (for search, feeds
//! and boards), and summaries cut at a sentence.

/// Escapes text for an HTML attribute or body.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appending to `out` (no allocation of its own).
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
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

#[cfg(test)]
mod tests {
    #[test]
    fn escape_replaces_the_five_html_characters_and_keeps_the_rest() {
        assert_eq!(
            super::escape(r#"党建<b>"五微"</b> & '一体'"#),
            "党建&lt;b&gt;&quot;五微&quot;&lt;/b&gt; &amp; &#39;一体&#39;"
        );
        assert_eq!(super::escape("无需转义"), "无需转义");
    }
}
