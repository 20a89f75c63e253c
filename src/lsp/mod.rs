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
#[serde(default, deny_unknown_fields)]
struct Options {
    data: Option<PathBuf>,
    seeds: Option<PathBuf>,
}

/// Serves one client on stdin and stdout until it asks the server to exit.
pub fn serve_stdio(data: &Path, seeds: &Path) -> Result<(), Failure> {
    let (connection, threads) = Connection::stdio();
    serve(&connection, data, seeds)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

/// Serves one client on `connection`. `data` and `seeds` are the folders when the client's
/// `initializationOptions` do not name them, relative to the workspace root.
pub fn serve(connection: &Connection, data: &Path, seeds: &Path) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start()?;
    let params: lsp::InitializeParams = serde_json::from_value(params)?;
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let root = workspace_root(&params);
    let options: Options = match params.initialization_options.clone() {
        Some(value) => serde_json::from_value(value)?,
        None => Options::default(),
    };
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
    connection.initialize_finish(id, serde_json::to_value(result)?)?;

    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server {
        connection,
        workspace: Workspace::new(data_dir, seeds_dir, encoding),
        published: HashMap::new(),
        next_request: 0,
    };
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
    fn run(&mut self) -> Result<(), Failure> {
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
                            Err(
                                "the client asked the server to exit before shutting it down"
                                    .into(),
                            )
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
                        stale |= self.notice(notification)?;
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

    /// Applies a notification; whether the analysis must be redone.
    fn notice(&mut self, notification: Notification) -> Result<bool, Failure> {
        use lsp::notification as n;
        let method = notification.method.clone();
        Ok(match method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let params: lsp::DidOpenTextDocumentParams =
                    notification.extract(n::DidOpenTextDocument::METHOD)?;
                match self.data_file(&params.text_document.uri) {
                    Some(path) => {
                        self.workspace.open(path, params.text_document.text);
                        true
                    }
                    None => false,
                }
            }
            n::DidChangeTextDocument::METHOD => {
                let params: lsp::DidChangeTextDocumentParams =
                    notification.extract(n::DidChangeTextDocument::METHOD)?;
                match (
                    self.data_file(&params.text_document.uri),
                    params.content_changes.into_iter().last(),
                ) {
                    (Some(path), Some(change)) => {
                        self.workspace.change(&path, change.text);
                        true
                    }
                    _ => false,
                }
            }
            n::DidCloseTextDocument::METHOD => {
                let params: lsp::DidCloseTextDocumentParams =
                    notification.extract(n::DidCloseTextDocument::METHOD)?;
                match self.data_file(&params.text_document.uri) {
                    Some(path) => {
                        self.workspace.close(&path);
                        true
                    }
                    None => false,
                }
            }
            n::DidSaveTextDocument::METHOD => {
                let params: lsp::DidSaveTextDocumentParams =
                    notification.extract(n::DidSaveTextDocument::METHOD)?;
                match self.data_file(&params.text_document.uri) {
                    Some(path) => {
                        self.workspace.reread(&path);
                        true
                    }
                    // A document saved: it is read again if it changed.
                    None => true,
                }
            }
            n::DidChangeWatchedFiles::METHOD => {
                self.workspace.rescan();
                true
            }
            _ => false,
        })
    }

    /// The path of a data file of the workspace, if the URI is one.
    fn data_file(&self, uri: &lsp::Uri) -> Option<PathBuf> {
        let path = features::path(uri)?;
        self.workspace.is_data_file(&path).then_some(path)
    }

    /// The file of the analysis a request is about.
    fn file(&self, uri: &lsp::Uri) -> Option<FileId> {
        let path = features::path(uri)?;
        self.workspace.analysis.file_of(&path)
    }

    fn offset(&self, file: FileId, position: lsp::Position) -> Option<usize> {
        self.workspace.analysis.lines(file).offset(position)
    }

    /// Checks the workspace again and publishes what changed.
    fn reanalyse(&mut self) -> Result<(), Failure> {
        self.workspace.analyse();
        let analysis = &self.workspace.analysis;
        if let Some(failure) = &analysis.failure {
            let message = Notification::new(
                lsp::notification::ShowMessage::METHOD.to_owned(),
                lsp::ShowMessageParams {
                    typ: lsp::MessageType::ERROR,
                    message: format!("claimgraph: {failure}"),
                },
            );
            self.connection
                .sender
                .send(Message::Notification(message))?;
        }
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
            let Some(uri) = features::uri(&path) else {
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
