//! Command-line interface (clap derive).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "zhanting",
    version,
    about = "展厅 · 党建品牌展示网站生成器 — a static-site generator for Party branch brand showcases"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR from the default theme and sample Chinese content
    Init {
        /// Folder to create (must be new or empty)
        dir: PathBuf,
    },
    /// Build the site into DIR/public (or -o OUT)
    Build {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Address the site is served at; overrides base_url of site.yaml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Relative links ending in index.html, so the output works from file:// (kiosk, USB stick)
        #[arg(long)]
        offline: bool,
        /// Skip exhibition boards
        #[arg(long)]
        no_boards: bool,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild and reload the browser on every change
    Serve {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback shows the site to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Make the print outputs of the exhibition boards: OUT/boards/SLUG.pdf and SLUG.png
    Boards {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only the board with this slug (its file name, as in /boards/SLUG/)
        #[arg(long, value_name = "SLUG")]
        only: Option<String>,
        /// Output folder (the boards go in its boards/ folder)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Print the print shop's checks, one row per board (process, sizes, bleed,
        /// colour, photo DPI, smallest text, QR code); with --strict, exit 1 if one fails
        #[arg(long)]
        preflight: bool,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Make the 展评 deck: OUT/deck.pdf, 16:9 slides from the brand, achievements and albums (deck.yaml chooses them)
    Deck {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: DIR/public/downloads)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Make the 成果汇编 booklet of a year: OUT/booklet-YYYY.pdf, A4, from that year's dated pages
    Booklet {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The year (default: the latest year that has dated pages)
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Output folder (default: DIR/public/downloads)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Check the whole site without writing anything; exit 1 on any error
    Check {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
}
