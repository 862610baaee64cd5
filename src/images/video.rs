//! 微视频: what a video file is, read from its container without decoding it (MP4 by
//! Mozilla's `mp4parse`, the parser Firefox ships; WebM by `matroska-demuxer`), and its
//! poster frame, taken by `ffmpeg` when it is installed (Debian: `ffmpeg`) and kept in
//! `.zhanting-cache/posters/` under the video's content hash. From there the frame is a
//! JPEG like any photo: the image pipeline makes its sizes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// Folder of `.zhanting-cache/` with the poster frames.
const CACHE: &str = "posters";

/// A video over this many bytes gets a warning with the command that shrinks it.
pub const LARGE: u64 = 50 * 1024 * 1024;

/// Whether `path` names a video (by its extension, as [`crate::paths::is_video`]).
pub fn is_video(path: &Path) -> bool {
    crate::paths::is_video(&path.to_string_lossy())
}

/// The MIME type of a video file, by its extension.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("webm") => "video/webm",
        _ => "video/mp4",
    }
}

/// The video track's codec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codec {
    H264,
    Hevc,
    Vp8,
    Vp9,
    Av1,
    /// MPEG-4 Part 2, H.263 and the like: old phones and cameras.
    Old(String),
    /// A codec the parser does not know.
    Unknown,
    /// No video track (an audio file named `.mp4`).
    None,
}

impl Codec {
    pub fn name(&self) -> &str {
        match self {
            Codec::H264 => "H.264",
            Codec::Hevc => "HEVC (H.265)",
            Codec::Vp8 => "VP8",
            Codec::Vp9 => "VP9",
            Codec::Av1 => "AV1",
            Codec::Old(name) => name,
            Codec::Unknown => "unknown",
            Codec::None => "none",
        }
    }

    /// Whether every current browser plays it (HEVC plays in Safari and some Edge
    /// installs only).
    pub fn plays_everywhere(&self) -> bool {
        matches!(self, Codec::H264 | Codec::Vp8 | Codec::Vp9 | Codec::Av1)
    }
}

/// What the container says of a video.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// Seconds.
    pub duration: Option<f64>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub codec: Codec,
    /// For MP4: whether the index (`moov`) comes before the data (`mdat`), so playback
    /// starts before the whole file has arrived. `None` for WebM.
    pub fast_start: Option<bool>,
    pub bytes: u64,
}

/// What was read of each video, by path, with its size and modification time: `serve`
/// plans the videos on every rebuild, and a file that did not change is not read again.
type Probes = HashMap<PathBuf, ((u64, Option<SystemTime>), Probe)>;
static PROBES: OnceLock<Mutex<Probes>> = OnceLock::new();

/// Reads the container of the video at `path` (once per size and modification time). The
/// error says what is wrong in words for the user (a text file named `.mp4`, a recording
/// cut short).
pub fn probe(path: &Path) -> Result<Probe, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let stamp = (meta.len(), meta.modified().ok());
    let probes = PROBES.get_or_init(Default::default);
    let lock = || probes.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((s, p)) = lock().get(path) {
        if *s == stamp {
            return Ok(p.clone());
        }
    }
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    let read = if mime(path) == "video/webm" {
        probe_webm(file, stamp.0)
    } else {
        probe_mp4(&mut file, stamp.0)
    }?;
    lock().insert(path.to_path_buf(), (stamp, read.clone()));
    Ok(read)
}

/// [`probe`] of a video's bytes (`webm`: a `.webm` file, else MP4), with no cache: for
/// tests and fuzzing.
pub fn probe_bytes(bytes: &[u8], webm: bool) -> Result<Probe, String> {
    let mut cursor = std::io::Cursor::new(bytes);
    if webm {
        probe_webm(cursor, bytes.len() as u64)
    } else {
        probe_mp4(&mut cursor, bytes.len() as u64)
    }
}

/// Reads and seeks the WebM reader may make: besides this many, one per 512 bytes of the
/// file. Reading a real file's header and index takes a few hundred.
const WEBM_BUDGET: u64 = 100_000;

fn probe_webm<R: Read + Seek>(file: R, bytes: u64) -> Result<Probe, String> {
    // matroska-demuxer (0.8.1) loops for ever over a file whose index (SeekHead) names
    // itself, and panics on one that names two more (both found by fuzzing): its reads
    // are bounded, and a panic is the answer for a file that is not WebM, as any error.
    let reader = Bounded {
        inner: std::io::BufReader::new(file),
        left: WEBM_BUDGET + bytes / 512,
    };
    let opened = quietly(|| matroska_demuxer::MatroskaFile::open(reader));
    let Ok(Ok(mkv)) = opened else {
        return Err("not a WebM video (its header cannot be read)".to_string());
    };
    let info = mkv.info();
    let duration = info
        .duration()
        .map(|d| d * info.timestamp_scale().get() as f64 / 1e9)
        .filter(|d| *d > 0.0);
    let video = mkv
        .tracks()
        .iter()
        .find(|t| t.track_type() == matroska_demuxer::TrackType::Video);
    let codec = match video.map(|t| t.codec_id()) {
        None => Codec::None,
        Some("V_VP8") => Codec::Vp8,
        Some("V_VP9") => Codec::Vp9,
        Some("V_AV1") => Codec::Av1,
        Some(id) if id.starts_with("V_MPEG4/ISO/AVC") => Codec::H264,
        Some(id) if id.starts_with("V_MPEGH/ISO/HEVC") => Codec::Hevc,
        Some(id) => Codec::Old(id.trim_start_matches("V_").to_string()),
    };
    let size = video.and_then(|t| t.video());
    Ok(Probe {
        duration,
        width: size.map(|v| v.pixel_width().get() as u32),
        height: size.map(|v| v.pixel_height().get() as u32),
        codec,
        fast_start: None,
        bytes,
    })
}

thread_local! {
    /// Whether a panic on this thread is one [`quietly`] catches.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (a third-party reader), catching its panic without the panic's message on
/// stderr: the user sees zhanting's error about the file, not the library's internals.
/// The panic hook stays quiet only on this thread and only while `f` runs; any other
/// panic — zhanting's own, or on another (rayon) thread meanwhile — goes to the hook
/// that was installed before (the default one prints it).
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result
}

/// A reader that fails once `left` reads and seeks have been made.
struct Bounded<R> {
    inner: R,
    left: u64,
}

impl<R> Bounded<R> {
    fn spend(&mut self) -> std::io::Result<()> {
        self.left = self.left.checked_sub(1).ok_or_else(|| {
            std::io::Error::other("the file's structure leads the reader round in circles")
        })?;
        Ok(())
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.spend()?;
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for Bounded<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.spend()?;
        self.inner.seek(pos)
    }
}

/// The top-level boxes of an MP4 file: kind, where it starts and where it ends.
fn top_level_boxes<R: Read + Seek>(
    file: &mut R,
    len: u64,
) -> Result<Vec<([u8; 4], u64, u64)>, String> {
    let mut boxes = Vec::new();
    let mut at = 0u64;
    while at + 8 <= len {
        file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let mut head = [0u8; 16];
        let n = file.read(&mut head).map_err(|e| e.to_string())?;
        if n < 8 {
            break;
        }
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let kind = [head[4], head[5], head[6], head[7]];
        let (start, size) = match size32 {
            1 if n >= 16 => (
                16,
                u64::from_be_bytes([
                    head[8], head[9], head[10], head[11], head[12], head[13], head[14], head[15],
                ]),
            ),
            0 => (8, len - at),
            s => (8, s),
        };
        // `at + 8 <= len`, so `len - at` cannot overflow where `at + size` could (a
        // 64-bit box size near its maximum).
        if size < start || size > len - at || !kind.iter().all(|c| c.is_ascii_graphic()) {
            break;
        }
        boxes.push((kind, at, at + size));
        at += size;
    }
    Ok(boxes)
}

fn probe_mp4<R: Read + Seek>(file: &mut R, bytes: u64) -> Result<Probe, String> {
    let boxes = top_level_boxes(file, bytes)?;
    let find = |kind: &[u8; 4]| boxes.iter().position(|b| &b.0 == kind);
    let Some(ftyp) = find(b"ftyp") else {
        return Err("not an MP4 video (it has no `ftyp` box)".into());
    };
    let Some(moov) = find(b"moov") else {
        return Err(
            "the MP4 file has no index (`moov` box): the recording may have been cut short".into(),
        );
    };
    let fast_start = find(b"mdat").map(|mdat| moov < mdat);
    // The parser gets the type and the index, never the media data.
    let mut head = Vec::new();
    for i in [ftyp, moov] {
        let (_, from, end) = boxes[i];
        file.seek(SeekFrom::Start(from))
            .map_err(|e| e.to_string())?;
        let mut b = vec![0u8; (end - from) as usize];
        file.read_exact(&mut b).map_err(|e| e.to_string())?;
        head.extend_from_slice(&b);
    }
    let context = mp4parse::read_mp4(&mut std::io::Cursor::new(&head))
        .map_err(|e| format!("the MP4 index cannot be read ({e:?})"))?;
    let seconds = |t: &mp4parse::Track| -> Option<f64> {
        let d = t.duration?.0 as f64;
        let s = t.timescale?.0 as f64;
        (s > 0.0).then(|| d / s)
    };
    let video = context
        .tracks
        .iter()
        .find(|t| t.track_type == mp4parse::TrackType::Video);
    // A fragmented MP4's index may give no length (0): none is better than 0:00.
    let duration = video
        .and_then(seconds)
        .or_else(|| context.tracks.iter().filter_map(seconds).reduce(f64::max))
        .filter(|d| *d > 0.0);
    let entry = video
        .and_then(|t| t.stsd.as_ref())
        .and_then(|s| s.descriptions.first());
    let (codec, width, height) = match (video, entry) {
        (None, _) => (Codec::None, None, None),
        (Some(_), Some(mp4parse::SampleEntry::Video(v))) => {
            use mp4parse::CodecType as C;
            let codec = match v.codec_type {
                C::H264 => Codec::H264,
                C::VP9 => Codec::Vp9,
                C::VP8 => Codec::Vp8,
                C::AV1 => Codec::Av1,
                C::MP4V => Codec::Old("MPEG-4 Part 2".into()),
                C::H263 => Codec::Old("H.263".into()),
                _ => sample_entry_codec(&head),
            };
            (codec, Some(v.width as u32), Some(v.height as u32))
        }
        // A sample entry the parser does not know: HEVC's `hvc1`/`hev1`, among others.
        (Some(_), _) => (sample_entry_codec(&head), None, None),
    };
    Ok(Probe {
        duration,
        width,
        height,
        codec,
        fast_start,
        bytes,
    })
}

/// The codec named by a sample entry's four characters in the index.
fn sample_entry_codec(moov: &[u8]) -> Codec {
    let has = |kind: &[u8; 4]| moov.windows(4).any(|w| w == kind);
    if has(b"hvc1") || has(b"hev1") {
        Codec::Hevc
    } else {
        Codec::Unknown
    }
}

const MISSING: &str = "ffmpeg is not installed";

/// Whether `reason`, an error of [`poster`], is the missing ffmpeg.
pub fn is_missing(reason: &str) -> bool {
    reason == MISSING
}

/// The poster frame of the video at `path`, whose content hash is `key`: a JPEG taken at
/// a tenth of its duration, in the cache or made now. The video is not read when the
/// frame is cached.
pub fn poster(path: &Path, key: &str, cache_root: &Path) -> Result<PathBuf, String> {
    let dir = cache_root.join(CACHE);
    let cached = dir.join(format!("{key}.jpg"));
    if cached.is_file() {
        return Ok(cached);
    }
    let at = probe(path)?.duration.map_or(0.0, |d| d / 10.0);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!("{key}.{}.tmp.jpg", std::process::id()));
    let run = Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-y", "-ss"])
        .arg(format!("{at:.3}"))
        .arg("-i")
        .arg(path)
        .args(["-frames:v", "1", "-q:v", "2"])
        .arg(&tmp)
        .output();
    let out = match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(MISSING.into()),
        Err(e) => return Err(format!("ffmpeg: {e}")),
        Ok(out) => out,
    };
    if !out.status.success() || !tmp.is_file() {
        let _ = std::fs::remove_file(&tmp);
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "ffmpeg could not take a frame: {}",
            why.lines().last().unwrap_or("no output").trim()
        ));
    }
    std::fs::rename(&tmp, &cached).map_err(|e| e.to_string())?;
    Ok(cached)
}

/// Removes the frames of videos the site no longer has (content hashes `keep`).
pub fn prune(cache_root: &Path, keep: &std::collections::HashSet<&str>) {
    super::prune_by_hash(&cache_root.join(CACHE), keep);
}

/// `3:25`, or `1:02:03` for an hour or more.
pub fn duration_text(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `PT3M25S`, for `<meta itemprop="duration">` and feeds.
pub fn duration_iso(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as u64;
    format!("PT{}M{}S", s / 60, s % 60)
}

/// The text of a WebVTT file's cues (for search): no header, timings, settings or tags.
pub fn captions_text(vtt: &str) -> String {
    let mut out = String::new();
    let mut in_cue = false;
    for line in vtt.lines() {
        let line = line.trim();
        if line.is_empty() {
            in_cue = false;
            continue;
        }
        if line.contains("-->") {
            in_cue = true;
            continue;
        }
        if in_cue {
            let mut tag = false;
            for c in line.chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => out.push(c),
                    _ => {}
                }
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_quiet_on_its_thread_only_and_only_meanwhile() {
        use std::cell::Cell;
        let caught = quietly(|| -> u8 { panic!("inside a reader") });
        assert!(caught.is_err());
        assert!(!QUIET.with(Cell::get), "loud again after a panic");
        let nested = quietly(|| {
            let _ = quietly(|| panic!("nested"));
            QUIET.with(Cell::get)
        });
        assert_eq!(nested.ok(), Some(true), "still quiet after a nested catch");
        assert!(!QUIET.with(Cell::get));
        let other = quietly(|| std::thread::spawn(|| QUIET.with(Cell::get)).join().ok());
        assert_eq!(
            other.ok(),
            Some(Some(false)),
            "another thread is never quiet"
        );
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration_text(205.4), "3:25");
        assert_eq!(duration_text(9.6), "0:10");
        assert_eq!(duration_text(3723.0), "1:02:03");
        assert_eq!(duration_iso(205.0), "PT3M25S");
    }

    #[test]
    fn caption_text_keeps_only_what_is_said() {
        let vtt = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000 align:start\n<v 书记>同志们好！\n\n00:00:02.000 --> 00:00:04.000\n今天学习<b>党章</b>。\n";
        assert_eq!(captions_text(vtt), "同志们好！\n今天学习党章。\n");
    }
}
