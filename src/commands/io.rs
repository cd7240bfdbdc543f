//! What a command is given to talk to the person (as gh's `IOStreams`): standard input, the two
//! output streams and whether each is a terminal, a way to ask for hidden input, and the
//! environment it was started with. main.rs builds it from the process; a test builds one that
//! captures what a command writes (`Io::captured`).
use crate::environment::Environment;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// An output stream: cheap to clone (the `--debug` lines are written from the HTTP layer's
/// callback while the command holds its own handle), and writes go out whole, one at a time.
#[derive(Clone)]
pub struct Stream {
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
    terminal: bool,
}

impl Stream {
    pub fn new(sink: impl Write + Send + 'static, terminal: bool) -> Stream {
        Stream {
            sink: Arc::new(Mutex::new(Box::new(sink))),
            terminal,
        }
    }

    /// Whether the person reads this stream at a terminal (then output may be laid out for them).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sink
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.sink
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write_all(buf)
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        // Formatted into one buffer first, so that a line is written in one piece, as eprintln! does.
        self.write_all(args.to_string().as_bytes())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.sink
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flush()
    }
}

/// Asks for a line of hidden input (a secret, a passphrase) at the terminal, showing the prompt
/// given; an error when there is no terminal to ask at.
pub type Prompt = Arc<dyn Fn(&str) -> std::io::Result<String> + Send + Sync>;

pub struct Io {
    pub stdin: Box<dyn BufRead + Send>,
    pub stdin_is_terminal: bool,
    pub out: Stream,
    pub err: Stream,
    pub prompt: Prompt,
    pub environment: Environment,
}

impl Io {
    /// The process's own streams and environment, for the binary.
    pub fn process() -> Io {
        use std::io::IsTerminal;
        Io {
            stdin: Box::new(std::io::BufReader::new(std::io::stdin())),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            out: Stream::new(std::io::stdout(), std::io::stdout().is_terminal()),
            err: Stream::new(std::io::stderr(), std::io::stderr().is_terminal()),
            prompt: Arc::new(|prompt: &str| rpassword::prompt_password(prompt)),
            environment: Environment::from_process(),
        }
    }

    /// Streams that keep what a command writes, with `stdin` as its input and no terminal
    /// anywhere (as a command run by a script sees things): for tests, and for running a command
    /// in-process.
    pub fn captured(stdin: impl Into<Vec<u8>>, environment: Environment) -> (Io, Captured) {
        let captured = Captured::default();
        let io = Io {
            stdin: Box::new(std::io::Cursor::new(stdin.into())),
            stdin_is_terminal: false,
            out: Stream::new(Buffer(captured.out.clone()), false),
            err: Stream::new(Buffer(captured.err.clone()), false),
            prompt: Arc::new(|_: &str| {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no terminal to ask at",
                ))
            }),
            environment,
        };
        (io, captured)
    }
}

/// What a command run with `Io::captured` wrote on each stream.
#[derive(Clone, Default)]
pub struct Captured {
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

impl Captured {
    pub fn stdout(&self) -> Vec<u8> {
        self.out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn stderr(&self) -> Vec<u8> {
        self.err
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
