//! `serve --lan`: the machine's addresses on the local network, and a QR code of one
//! drawn in the terminal, so the author opens the preview on their own phone over Wi-Fi.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

/// The machine's IPv4 addresses on its networks: for each private range, the address
/// the system would send from (a UDP socket is "connected", which sends nothing). No
/// crate and no interface listing: the routing table answers.
pub fn addresses() -> Vec<IpAddr> {
    let probes = [
        Ipv4Addr::new(192, 168, 255, 255),
        Ipv4Addr::new(10, 255, 255, 255),
        Ipv4Addr::new(172, 31, 255, 255),
        // The default route, whatever network it is.
        Ipv4Addr::new(203, 0, 113, 1),
    ];
    let mut out: Vec<IpAddr> = Vec::new();
    for p in probes {
        let Ok(sock) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)) else {
            continue;
        };
        if sock.connect((p, 9)).is_err() {
            continue;
        }
        if let Ok(local) = sock.local_addr() {
            let ip = local.ip();
            if !ip.is_loopback() && !ip.is_unspecified() && !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

/// A QR code of `text` for the terminal: two rows of modules per line with half
/// blocks, dark on light whatever the terminal's colours (ANSI colours), with its quiet
/// zone. `None` when the text is too long for a code.
pub fn terminal_qr(text: &str) -> Option<String> {
    let qr = crate::qr::Qr::screen(text)?;
    let quiet = 2usize;
    let side = qr.size + 2 * quiet;
    let dark = |x: usize, y: usize| {
        x >= quiet
            && y >= quiet
            && x < qr.size + quiet
            && y < qr.size + quiet
            && qr.dark(x - quiet, y - quiet)
    };
    let mut out = String::new();
    for y in (0..side).step_by(2) {
        // Black ink on a white ground.
        out.push_str("\x1b[30;47m");
        for x in 0..side {
            let top = dark(x, y);
            let bottom = y + 1 < side && dark(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push_str("\x1b[0m\n");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_terminal_code_has_the_codes_modules() {
        let text = "http://192.168.1.5:1111/";
        let drawn = super::terminal_qr(text).unwrap();
        let qr = crate::qr::Qr::screen(text).unwrap();
        let lines: Vec<&str> = drawn.lines().collect();
        assert_eq!(lines.len(), (qr.size + 4).div_ceil(2));
        // The top left finder pattern: a full row of 7 dark modules at (2, 2).
        let row: String = lines[1]
            .trim_start_matches("\x1b[30;47m")
            .chars()
            .skip(2)
            .take(7)
            .collect();
        assert_eq!(row, "█▀▀▀▀▀█");
    }
}
