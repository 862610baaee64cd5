//! The BleedBox Typst does not write. Typst sets the TrimBox from the page's bleed; a
//! print shop also reads the BleedBox (how far the artwork goes past the trim), which
//! differs from the MediaBox when crop marks sit in a slug outside the bleed.
//!
//! Each page dictionary gets `/BleedBox[…]` before its `/TrimBox`, and the cross-reference
//! table is shifted to match. A PDF of another shape comes back unchanged.

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Adds a BleedBox `bleed_mm` around each page's TrimBox.
pub fn add_bleed_box(pdf: Vec<u8>, bleed_mm: f64) -> Vec<u8> {
    add(&pdf, bleed_mm * PT_PER_MM).unwrap_or(pdf)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn add(pdf: &[u8], bleed: f64) -> Option<Vec<u8>> {
    // Insertions: (offset, text), in file order.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    while let Some(pos) = find(pdf, b"/TrimBox[", at) {
        let end = find(pdf, b"]", pos)?;
        let nums: Vec<f64> = std::str::from_utf8(&pdf[pos + 9..end])
            .ok()?
            .split_whitespace()
            .map(|n| n.parse().ok())
            .collect::<Option<_>>()?;
        let [x0, y0, x1, y1] = nums[..] else {
            return None;
        };
        inserts.push((
            pos,
            format!(
                "/BleedBox[{:.4} {:.4} {:.4} {:.4}]",
                (x0 - bleed).max(0.0),
                (y0 - bleed).max(0.0),
                x1 + bleed,
                y1 + bleed
            ),
        ));
        at = end;
    }
    if inserts.is_empty() {
        return None;
    }
    let xref = rfind(pdf, b"\nxref\n")? + 1;
    let startxref = rfind(pdf, b"startxref")?;
    if inserts.iter().any(|(p, _)| *p > xref) {
        return None;
    }
    let shift = |offset: usize| -> usize {
        offset
            + inserts
                .iter()
                .filter(|(p, _)| *p < offset)
                .map(|(_, t)| t.len())
                .sum::<usize>()
    };
    let mut out = Vec::with_capacity(pdf.len() + 64 * inserts.len());
    let mut last = 0;
    for (p, t) in &inserts {
        out.extend_from_slice(&pdf[last..*p]);
        out.extend_from_slice(t.as_bytes());
        last = *p;
    }
    out.extend_from_slice(&pdf[last..xref]);
    // The table: "xref", then sections "FIRST COUNT" and 20-byte entries.
    let table = std::str::from_utf8(&pdf[xref..startxref]).ok()?;
    let mut lines = table.split_inclusive('\n');
    let mut trailer_from = None;
    let mut consumed = 0;
    for line in lines.by_ref() {
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed == "trailer" {
            trailer_from = Some(consumed);
            break;
        }
        let fields: Vec<&str> = trimmed.split(' ').collect();
        if fields.len() == 3 && fields[0].len() == 10 && fields[2] == "n" {
            let offset: usize = fields[0].parse().ok()?;
            out.extend_from_slice(format!("{:010} {} n", shift(offset), fields[1]).as_bytes());
            out.extend_from_slice(&line.as_bytes()[trimmed.len()..]);
        } else {
            out.extend_from_slice(line.as_bytes());
        }
        consumed += line.len();
    }
    let trailer_from = trailer_from?;
    out.extend_from_slice(&table.as_bytes()[trailer_from..]);
    let rest = std::str::from_utf8(&pdf[startxref..]).ok()?;
    let old: usize = rest.lines().nth(1)?.trim().parse().ok()?;
    let tail_after = rest.find("%%EOF")?;
    out.extend_from_slice(format!("startxref\n{}\n", shift(old)).as_bytes());
    out.extend_from_slice(&rest.as_bytes()[tail_after..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_pdf() -> Vec<u8> {
        let objs = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Count 1/Kids[3 0 R]>>",
            "<</Type/Page/MediaBox[0 0 100 200]/TrimBox[10 10 90 190]/Parent 2 0 R>>",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF").as_bytes(),
        );
        pdf
    }

    #[test]
    fn bleed_box_is_added_and_offsets_stay_right() {
        let out = add_bleed_box(tiny_pdf(), 10.0 / PT_PER_MM);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            text.contains("/BleedBox[0.0000 0.0000 100.0000 200.0000]/TrimBox[10 10 90 190]"),
            "{text}"
        );
        // Every offset in the table points at its object.
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref_at..].starts_with("xref\n"));
        for (i, line) in text[xref_at..].lines().skip(3).take(3).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {}",
                i + 1
            );
        }
    }

    #[test]
    fn other_shapes_come_back_unchanged() {
        let pdf = b"%PDF-1.7\nnot a real file".to_vec();
        assert_eq!(add_bleed_box(pdf.clone(), 3.0), pdf);
    }
}
