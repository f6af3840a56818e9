//! What the function prints to stdout and stderr during an execution, caught in memory files.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::FromRawFd;
use std::os::raw::{c_char, c_int, c_uint};

extern "C" {
    fn dup(fd: c_int) -> c_int;
    fn dup2(from: c_int, to: c_int) -> c_int;
    fn close(fd: c_int) -> c_int;
    fn memfd_create(name: *const c_char, flags: c_uint) -> c_int;
}

pub struct OutputCapture {
    saved: Option<(c_int, c_int)>,
    files: Option<(File, File)>,
}

fn flush_all() {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
}

impl OutputCapture {
    /// Points file descriptors 1 and 2 at fresh memory files.
    pub fn start() -> Self {
        flush_all();
        // SAFETY: plain descriptor calls on descriptors this process owns; the files own their descriptors.
        unsafe {
            let out = memfd_create(c"plinth-stdout".as_ptr(), 0);
            let err = memfd_create(c"plinth-stderr".as_ptr(), 0);
            if out < 0 || err < 0 {
                return OutputCapture { saved: None, files: None };
            }
            let saved = (dup(1), dup(2));
            dup2(out, 1);
            dup2(err, 2);
            OutputCapture { saved: Some(saved), files: Some((File::from_raw_fd(out), File::from_raw_fd(err))) }
        }
    }

    /// Restores the real descriptors and returns what was printed to each.
    pub fn finish(self) -> (String, String) {
        flush_all();
        if let Some((out, err)) = self.saved {
            // SAFETY: the saved descriptors were duplicated by start and are closed once here.
            unsafe {
                dup2(out, 1);
                dup2(err, 2);
                close(out);
                close(err);
            }
        }
        match self.files {
            Some((mut out, mut err)) => (drain(&mut out), drain(&mut err)),
            None => (String::new(), String::new()),
        }
    }
}

fn drain(file: &mut File) -> String {
    let mut bytes = Vec::new();
    let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_end(&mut bytes));
    String::from_utf8_lossy(&bytes).into_owned()
}
