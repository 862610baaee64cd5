//! Print boxes Typst does not write.
pub fn add_bleed_box(pdf: Vec<u8>, _media_margin_mm: f64, _bleed_mm: f64) -> Vec<u8> {
    pdf
}
