//! Decoders and encoders for the photo sizes, timed on the first ten photos of a folder
//! (see Cargo.toml).
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().map_or(false, |e| e == "jpg"))
        .collect();
    files.sort();
    files.truncate(10);
    let data: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let n = data.len() as f64;
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0 / n;
    // jpeg-decoder scaled to 2000
    let t = Instant::now();
    let mut half = Vec::new();
    for b in &data {
        let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(b));
        d.read_info().unwrap();
        let (w, h) = d.scale(2000, 1500).unwrap();
        let px = d.decode().unwrap();
        half.push((w as u32, h as u32, px));
    }
    println!(
        "jpeg-decoder scaled 1/2: {:.1} ms/photo ({}x{})",
        ms(t),
        half[0].0,
        half[0].1
    );
    let t = Instant::now();
    for b in &data {
        let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(b));
        d.decode().unwrap();
    }
    println!("jpeg-decoder full: {:.1} ms/photo", ms(t));
    let t = Instant::now();
    for b in &data {
        let opts = zune_core::options::DecoderOptions::default()
            .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::RGB);
        let mut d =
            zune_jpeg::JpegDecoder::new_with_options(zune_core::bytestream::ZCursor::new(b), opts);
        d.decode().unwrap();
    }
    println!("zune-jpeg full: {:.1} ms/photo", ms(t));
    for (name, factor) in [
        ("scaled 1/2", turbojpeg::ScalingFactor::ONE_HALF),
        ("full", turbojpeg::ScalingFactor::ONE),
    ] {
        let t = Instant::now();
        for b in &data {
            let mut d = turbojpeg::Decompressor::new().unwrap();
            let s = d.read_header(b).unwrap().scaled(factor);
            d.set_scaling_factor(factor).unwrap();
            let mut img = turbojpeg::Image {
                pixels: vec![0u8; 3 * s.width * s.height],
                width: s.width,
                pitch: 3 * s.width,
                height: s.height,
                format: turbojpeg::PixelFormat::RGB,
            };
            d.decompress(b, img.as_deref_mut()).unwrap();
        }
        println!("turbojpeg {name}: {:.1} ms/photo", ms(t));
    }
    // resize from half to 2000(same),1200,480 ; encode jpeg + webp
    use fast_image_resize::{images::Image, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let widths = [(2000u32, 1500u32), (1200, 900), (480, 360)];
    let mut rs = 0.0;
    let mut ej = 0.0;
    let mut ew = 0.0;
    let mut et = 0.0;
    for (w0, h0, px) in &half {
        for &(w, h) in &widths {
            let t = Instant::now();
            let out = if w == *w0 {
                px.clone()
            } else {
                let src = Image::from_vec_u8(*w0, *h0, px.clone(), PixelType::U8x3).unwrap();
                let mut dst = Image::new(w, h, PixelType::U8x3);
                Resizer::new()
                    .resize(
                        &src,
                        &mut dst,
                        &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(
                            fast_image_resize::FilterType::Lanczos3,
                        )),
                    )
                    .unwrap();
                dst.into_vec()
            };
            rs += ms(t);
            let t = Instant::now();
            let mut jpeg = Vec::new();
            jpeg_encoder::Encoder::new(&mut jpeg, 82)
                .encode(&out, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
                .unwrap();
            ej += ms(t);
            let t = Instant::now();
            let img = turbojpeg::Image {
                pixels: &out[..],
                width: w as usize,
                pitch: 3 * w as usize,
                height: h as usize,
                format: turbojpeg::PixelFormat::RGB,
            };
            let mut c = turbojpeg::Compressor::new().unwrap();
            c.set_quality(82).unwrap();
            c.set_subsamp(turbojpeg::Subsamp::Sub2x2).unwrap();
            c.compress_to_vec(img).unwrap();
            et += ms(t);
            let t = Instant::now();
            let mut c = webp::WebPConfig::new().unwrap();
            c.quality = 82.0;
            c.method = 0;
            webp::Encoder::from_rgb(&out, w, h)
                .encode_advanced(&c)
                .unwrap();
            ew += ms(t);
        }
    }
    println!("resize (3 widths) {:.1} ms/photo, jpeg-encoder {:.1}, turbojpeg encode {:.1}, webp encode {:.1}", rs, ej, et, ew);
}
