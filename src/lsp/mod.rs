//! `claimgraph lsp`: a language server for the data files over stdio. It checks the data folder
//! as the editor shows it (open buffers over the files on disk) after every change, publishes
//! `check`'s diagnostics for every file they concern, and answers completion, hover, go to
//! definition, references, the outline and the "did you mean" quick fix from an index of the
//! parsed records.

mod features;
mod fields;
mod index;
mod lines;
mod workspace;

use std::collections::HashMap;
use std::error::Error;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde::Deserialize;

use crate::diagnostic::FileId;
pub use lines::Encoding;
use workspace::Workspace;

type Failure = Box<dyn Error + Send + Sync>;

/// Where the data and the documents are, relative to the workspace root unless absolute;
/// from the client's `initializationOptions`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Options {
    data: Option<PathBuf>,
    seeds: Option<PathBuf>,
}

/// The keys `initializationOptions` may have.
const OPTION_KEYS: [&str; 2] = ["data", "seeds"];

/// How serving ended when it did not end as the protocol asks.
#[derive(Debug, thiserror::Error)]
pub enum Ended {
    /// `exit` came without `shutdown` first: exit code 1, as the protocol says.
    #[error("the client asked the server to exit before shutting it down")]
    ExitWithoutShutdown,
    /// Anything else that stopped the server: exit code 2.
    #[error("{0}")]
    Failed(Failure),
}

/// The failures serving meets, each made an [`Ended::Failed`] by `?`.
macro_rules! failed_from {
    ($($error:ty),*) => {$(
        impl From<$error> for Ended {
            fn from(error: $error) -> Ended {
                Ended::Failed(error.into())
            }
        }
    )*};
}

failed_from!(
    Failure,
    &str,
    String,
    std::io::Error,
    serde_json::Error,
    crossbeam_channel::SendError<Message>
);

/// Serves one client on stdin and stdout until it asks the server to exit.
pub fn serve_stdio(data: &Path, seeds: &Path) -> Result<(), Ended> {
    let (connection, reader, writer) = stdio();
    let served = serve(&connection, data, seeds);
    drop(connection);
    // The reader stops at `exit` or at the end of the input; after any other ending the
    // client may still be writing, and the process ends without waiting for it, unless the
    // reader stopped first: a message it could not read (no `Content-Length`, a body that is
    // not JSON-RPC) is why serving ended, and is what the curator is told.
    // (The reader drops its end of the queue just before it finishes: a moment's wait.)
    let stopped = || {
        (0..100).any(|_| {
            reader.is_finished() || {
                std::thread::sleep(std::time::Duration::from_millis(1));
                false
            }
        })
    };
    if served.is_ok() || stopped() {
        reader
            .join()
            .map_err(|_| "the reading thread failed")?
            .map_err(|e| format!("a message from the client could not be read: {e}"))?;
    }
    writer.join().map_err(|_| "the writing thread failed")??;
    served
}

type Io = std::thread::JoinHandle<std::io::Result<()>>;

/// The connection over stdin and stdout. Messages are read as they come into a queue of any
/// length, so that the edits an editor sends in a burst are all waiting when the server looks,
/// and cost one analysis (a channel of no capacity, as `Connection::stdio` makes, holds them in
/// the client's pipe instead, one analysis each).
fn stdio() -> (Connection, Io, Io) {
    let (to_server, from_client) = crossbeam_channel::unbounded::<Message>();
    let (to_client, from_server) = crossbeam_channel::bounded::<Message>(0);
    let reader = std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        while let Some(message) = Message::read(&mut stdin)? {
            let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            if to_server.send(message).is_err() || exit {
                break;
            }
        }
        Ok(())
    });
    let writer = std::thread::spawn(move || {
        let mut stdout = std::io::stdout().lock();
        from_server
            .into_iter()
            .try_for_each(|message| message.write(&mut stdout))
    });
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, reader, writer)
}

/// Waits for `initialize`: a request before it is answered with the protocol's "not
/// initialized" error, a notification before it dropped (`exit` ends the server).
fn initialize_request(connection: &Connection) -> Result<(RequestId, serde_json::Value), Ended> {
    loop {
        match connection.receiver.recv() {
            Ok(Message::Request(request)) if request.method == "initialize" => {
                return Ok((request.id, request.params));
            }
            Ok(Message::Request(request)) => {
                let response = Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialised yet".to_owned(),
                );
                connection.sender.send(Message::Response(response))?;
            }
            Ok(Message::Notification(n)) if n.method == "exit" => {
                return Err(Ended::ExitWithoutShutdown);
            }
            Ok(_) => {}
            Err(_) => return Err("the client closed the connection before initialising".into()),
        }
    }
}

/// Serves one client on `connection`. `data` and `seeds` are the folders when the client's
/// `initializationOptions` do not name them, relative to the workspace root.
pub fn serve(connection: &Connection, data: &Path, seeds: &Path) -> Result<(), Ended> {
    let (id, params) = initialize_request(connection)?;
    let refuse = |message: String| -> Result<(), Ended> {
        let response =
            Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, message.clone());
        connection.sender.send(Message::Response(response))?;
        Err(Ended::Failed(
            format!("could not initialise: {message}").into(),
        ))
    };
    let params: lsp::InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(e) => return refuse(format!("the parameters of `initialize` do not read: {e}")),
    };
    let unknown: Vec<String> = match &params.initialization_options {
        Some(serde_json::Value::Object(map)) => map
            .keys()
            .filter(|k| !OPTION_KEYS.contains(&k.as_str()))
            .map(|k| format!("`{k}`"))
            .collect(),
        _ => Vec::new(),
    };
    let options: Options = match params.initialization_options.clone() {
        Some(value) => match serde_json::from_value(value) {
            Ok(options) => options,
            Err(e) => return refuse(format!("initializationOptions: {e}")),
        },
        None => Options::default(),
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let root = workspace_root(&params);
    let data_dir = root.join(options.data.as_deref().unwrap_or(data));
    let seeds_dir = root.join(options.seeds.as_deref().unwrap_or(seeds));
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned(), "[".to_owned()]),
            ..lsp::CompletionOptions::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        ..lsp::ServerCapabilities::default()
    };
    let result = lsp::InitializeResult {
        capabilities,
        server_info: Some(lsp::ServerInfo {
            name: "claimgraph".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    let response = Response::new_ok(id, result);
    connection.sender.send(Message::Response(response))?;

    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server {
        connection,
        workspace: Workspace::new(&data_dir, &seeds_dir, encoding),
        published: HashMap::new(),
        next_request: 0,
    };
    if !unknown.is_empty() {
        server.show(
            lsp::MessageType::WARNING,
            format!(
                "claimgraph: initializationOptions {} unknown, ignored (it takes {})",
                unknown.join(", "),
                OPTION_KEYS.map(|k| format!("`{k}`")).join(" and ")
            ),
        )?;
    }
    if watch {
        server.watch_files()?;
    }
    server.reanalyse()?;
    server.run()
}

/// The root folder of the client's workspace: its first workspace folder, else its root URI,
/// else the folder the server runs in.
#[allow(deprecated)] // `root_uri` is how older clients give the root
fn workspace_root(params: &lsp::InitializeParams) -> PathBuf {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|f| features::path(&f.uri));
    folder
        .or_else(|| params.root_uri.as_ref().and_then(features::path))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    /// What was last published for each file, so that only changes are sent and a file whose
    /// problems are gone gets an empty list.
    published: HashMap<PathBuf, Vec<lsp::Diagnostic>>,
    next_request: i32,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), Ended> {
        let receiver = &self.connection.receiver;
        // After `shutdown`, requests are refused until `exit`; responses to the server's own
        // requests may still arrive, and are ignored as always.
        let mut shut_down = false;
        while let Ok(first) = receiver.recv() {
            // Everything already waiting is handled together, so that a burst of keystrokes
            // costs one analysis, done before the first request that needs it.
            let mut batch = vec![first];
            batch.extend(receiver.try_iter());
            let mut stale = false;
            for message in batch {
                match message {
                    Message::Request(request) if request.method == "shutdown" => {
                        shut_down = true;
                        let response = Response::new_ok(request.id, ());
                        self.connection.sender.send(Message::Response(response))?;
                    }
                    Message::Request(request) if shut_down => {
                        let response = Response::new_err(
                            request.id,
                            ErrorCode::InvalidRequest as i32,
                            "the server is shutting down".to_owned(),
                        );
                        self.connection.sender.send(Message::Response(response))?;
                    }
                    Message::Notification(notification) if notification.method == "exit" => {
                        return if shut_down {
                            Ok(())
                        } else {
                            Err(Ended::ExitWithoutShutdown)
                        };
                    }
                    Message::Request(request) => {
                        if stale {
                            self.reanalyse()?;
                            stale = false;
                        }
                        let id = request.id.clone();
                        // A bug met by one request answers it with an error; the server goes
                        // on (answering reads the analysis, it changes nothing).
                        let response =
                            std::panic::catch_unwind(AssertUnwindSafe(|| self.answer(request)))
                                .unwrap_or_else(|_| {
                                    Response::new_err(
                                id,
                                ErrorCode::InternalError as i32,
                                "claimgraph failed to answer this request (a bug: the error is \
                                 on the server's stderr)"
                                    .to_owned(),
                            )
                                });
                        self.connection.sender.send(Message::Response(response))?;
                    }
                    Message::Notification(_) if shut_down => {}
                    Message::Notification(notification) => {
                        // A bug met by one notification costs that notification (logged on
                        // stderr by the panic), not the server; what it changed is checked.
                        let method = notification.method.clone();
                        // The buffer a failed change may have left half applied is dropped:
                        // the file on disk stands for it until the editor opens it again.
                        let uri: Option<lsp::Uri> = serde_json::from_value(
                            notification.params["textDocument"]["uri"].clone(),
                        )
                        .ok();
                        match std::panic::catch_unwind(AssertUnwindSafe(|| {
                            self.notice(notification)
                        })) {
                            Ok(changed) => stale |= changed,
                            Err(_) => {
                                eprintln!("claimgraph lsp: `{method}` failed (a bug); serving on");
                                if let Some(path) = uri.and_then(|u| self.data_file(&u)) {
                                    self.workspace.close(&path);
                                }
                                stale = true;
                            }
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            if stale {
                self.reanalyse()?;
            }
        }
        Err("the client closed the connection without `exit`".into())
    }

    /// Asks the client to tell the server about data files and documents changed on disk
    /// (a `git checkout`, a file written by another program).
    fn watch_files(&mut self) -> Result<(), Failure> {
        let watchers = ["**/*.toml", "**/*.txt", "**/*.md"]
            .into_iter()
            .map(|glob| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(glob.to_owned()),
                kind: None,
            })
            .collect();
        let registration = lsp::Registration {
            id: "claimgraph-files".to_owned(),
            method: lsp::notification::DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: Some(serde_json::to_value(
                lsp::DidChangeWatchedFilesRegistrationOptions { watchers },
            )?),
        };
        self.next_request += 1;
        let request = Request::new(
            RequestId::from(self.next_request),
            lsp::request::RegisterCapability::METHOD.to_owned(),
            lsp::RegistrationParams {
                registrations: vec![registration],
            },
        );
        self.connection.sender.send(Message::Request(request))?;
        Ok(())
    }

    /// Applies a notification; whether the analysis must be redone. One whose parameters do
    /// not read is reported on stderr (the editor's log of the server) and ignored.
    fn notice(&mut self, notification: Notification) -> bool {
        use lsp::notification as n;
        fn read<P: serde::de::DeserializeOwned>(notification: Notification) -> Option<P> {
            let method = notification.method.clone();
            match serde_json::from_value(notification.params) {
                Ok(params) => Some(params),
                Err(e) => {
                    eprintln!(
                        "claimgraph lsp: ignored `{method}`: its parameters do not read: {e}"
                    );
                    None
                }
            }
        }
        match notification.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let Some(params) = read::<lsp::DidOpenTextDocumentParams>(notification) else {
                    return false;
                };
                let Some(path) = self.data_file(&params.text_document.uri) else {
                    return false;
                };
                self.workspace.open(path, params.text_document.text);
                true
            }
            n::DidChangeTextDocument::METHOD => {
                let Some(params) = read::<lsp::DidChangeTextDocumentParams>(notification) else {
                    return false;
                };
                let Some(path) = self.data_file(&params.text_document.uri) else {
                    return false;
                };
                self.workspace.change(&path, params.content_changes);
                true
            }
            n::DidCloseTextDocument::METHOD => {
                let Some(params) = read::<lsp::DidCloseTextDocumentParams>(notification) else {
                    return false;
                };
                let Some(path) = self.data_file(&params.text_document.uri) else {
                    return false;
                };
                self.workspace.close(&path);
                true
            }
            n::DidSaveTextDocument::METHOD => {
                let Some(params) = read::<lsp::DidSaveTextDocumentParams>(notification) else {
                    return false;
                };
                if let Some(path) = self.data_file(&params.text_document.uri) {
                    self.workspace.reread(&path);
                }
                // A document saved is read again if it changed.
                true
            }
            n::DidChangeWatchedFiles::METHOD => {
                self.workspace.rescan();
                true
            }
            _ => false,
        }
    }

    /// The path of a data file of the workspace, if the URI is one.
    fn data_file(&mut self, uri: &lsp::Uri) -> Option<PathBuf> {
        let path = self.workspace.resolve(uri)?;
        self.workspace.is_data_file(&path).then_some(path)
    }

    /// The file of the analysis a request is about.
    fn file(&self, uri: &lsp::Uri) -> Option<FileId> {
        let analysis = &self.workspace.analysis;
        let by_uri = analysis.uris.iter().position(|u| u.as_ref() == Some(uri));
        match by_uri {
            Some(i) => Some(FileId(u32::try_from(i).ok()?)),
            None => analysis.file_of(&features::path(uri)?.canonicalize().ok()?),
        }
    }

    fn offset(&self, file: FileId, position: lsp::Position) -> Option<usize> {
        let analysis = &self.workspace.analysis;
        let offset = analysis.lines(file).offset(position)?;
        Some(workspace::floor_boundary(analysis.text(file), offset))
    }

    fn show(&self, typ: lsp::MessageType, message: String) -> Result<(), Failure> {
        let notification = Notification::new(
            lsp::notification::ShowMessage::METHOD.to_owned(),
            lsp::ShowMessageParams { typ, message },
        );
        self.connection
            .sender
            .send(Message::Notification(notification))?;
        Ok(())
    }

    /// Checks the workspace again and publishes what changed.
    fn reanalyse(&mut self) -> Result<(), Failure> {
        let failed_before = self.workspace.analysis.failure.clone();
        self.workspace.analyse();
        let analysis = &self.workspace.analysis;
        // Said once, not after every keystroke; said again when it changes.
        if let Some(failure) = &analysis.failure
            && failed_before.as_ref() != Some(failure)
        {
            self.show(
                lsp::MessageType::ERROR,
                format!("claimgraph: {failure}; until it is there, only syntax errors are shown"),
            )?;
        }
        let analysis = &self.workspace.analysis;
        let mut current = features::diagnostics(analysis);
        // Files that had diagnostics and have none now get an empty list.
        for path in self.published.keys() {
            current.entry(path.clone()).or_default();
        }
        let mut paths: Vec<PathBuf> = current.keys().cloned().collect();
        paths.sort();
        for path in paths {
            let diagnostics = current.remove(&path).unwrap_or_default();
            if self.published.get(&path) == Some(&diagnostics) {
                continue;
            }
            let Some(uri) = self.workspace.uri_of(&path) else {
                continue;
            };
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics: diagnostics.clone(),
                version: None,
            };
            let notification = Notification::new(
                lsp::notification::PublishDiagnostics::METHOD.to_owned(),
                params,
            );
            self.connection
                .sender
                .send(Message::Notification(notification))?;
            if diagnostics.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, diagnostics);
            }
        }
        Ok(())
    }

    fn answer(&self, request: Request) -> Response {
        use lsp::request as r;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            r::Completion::METHOD => self.respond::<r::Completion>(request, |s, p| {
                let at = &p.text_document_position;
                let file = s.file(&at.text_document.uri)?;
                let offset = s.offset(file, at.position)?;
                let items = features::completion(&s.workspace.analysis, file, offset);
                Some(lsp::CompletionResponse::List(lsp::CompletionList {
                    is_incomplete: false,
                    items,
                }))
            }),
            r::HoverRequest::METHOD => self.respond::<r::HoverRequest>(request, |s, p| {
                let at = &p.text_document_position_params;
                let file = s.file(&at.text_document.uri)?;
                let offset = s.offset(file, at.position)?;
                features::hover(&s.workspace.analysis, file, offset)
            }),
            r::GotoDefinition::METHOD => self.respond::<r::GotoDefinition>(request, |s, p| {
                let at = &p.text_document_position_params;
                let file = s.file(&at.text_document.uri)?;
                let offset = s.offset(file, at.position)?;
                features::definition(&s.workspace.analysis, file, offset)
                    .map(lsp::GotoDefinitionResponse::Scalar)
            }),
            r::References::METHOD => self.respond::<r::References>(request, |s, p| {
                let at = &p.text_document_position;
                let file = s.file(&at.text_document.uri)?;
                let offset = s.offset(file, at.position)?;
                Some(features::references(
                    &s.workspace.analysis,
                    file,
                    offset,
                    p.context.include_declaration,
                ))
            }),
            r::DocumentSymbolRequest::METHOD => {
                self.respond::<r::DocumentSymbolRequest>(request, |s, p| {
                    let file = s.file(&p.text_document.uri)?;
                    Some(lsp::DocumentSymbolResponse::Nested(features::symbols(
                        &s.workspace.analysis,
                        file,
                    )))
                })
            }
            r::CodeActionRequest::METHOD => {
                self.respond::<r::CodeActionRequest>(request, |s, p| {
                    let file = s.file(&p.text_document.uri)?;
                    let start = s.offset(file, p.range.start)?;
                    let end = s.offset(file, p.range.end).unwrap_or(start);
                    Some(features::code_actions(
                        &s.workspace.analysis,
                        file,
                        start..end,
                        &p.context.diagnostics,
                    ))
                })
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("claimgraph does not answer `{}`", request.method),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    /// Reads a request's parameters and answers it (a `None` is the protocol's null: nothing
    /// there); parameters that do not read are an error.
    fn respond<R: lsp::request::Request>(
        &self,
        request: Request,
        answer: impl FnOnce(&Self, R::Params) -> R::Result,
    ) -> Result<serde_json::Value, (ErrorCode, String)> {
        let params: R::Params = serde_json::from_value(request.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        serde_json::to_value(answer(self, params))
            .map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }
}
