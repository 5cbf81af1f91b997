//! The hook contract: which variables a script sees, how it is wrapped, where its lines
//! are; `input` builds the variables of each kind, `result` reads back what `done()` gave.

mod input;
mod result;

pub(super) use input::Var;
pub use input::{defaults, Bound, EventVars, HookInput, RequestVars, ResponseVars, Vars};
pub use result::{EventResult, Events, HookResult, NoEvents, PostResponseResult, PreRequestResult};

use super::Origin;

/// Which kind of hook runs: it decides which variables it gets and how its result is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    PreRequest,
    PostRequest,
    Event,
}

impl Kind {
    /// The name used in element files and labels (`preRequest`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PreRequest => "preRequest",
            Kind::PostRequest => "postRequest",
            Kind::Event => "event",
        }
    }
}

/// One list of names: the `Variable` enum and `VARIABLES` in the same order, so a variable's
/// discriminant is its index (and its bit in `Reads`).
macro_rules! variables {
    ($($variant:ident = $name:literal,)*) => {
        /// A variable a hook may read, by its JS name in `VARIABLES`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Variable {
            $($variant,)*
        }

        impl Variable {
            /// Every variable, in the order of `VARIABLES`.
            pub const ALL: &'static [Variable] = &[$(Variable::$variant,)*];
        }

        /// Every variable a hook may read. Each is bound as a `const` in every hook that
        /// names it; the ones a kind does not provide are `undefined`, so a script can test
        /// for them.
        pub const VARIABLES: &[&str] = &[$($name,)*];
    };
}

variables! {
    RequestBody = "request_body",
    RequestBodyMap = "request_body_map",
    RequestHeaders = "request_headers",
    RequestPath = "request_path",
    RequestPathVariables = "request_path_variables",
    RequestParameters = "request_parameters",
    RequestMethod = "request_method",
    RequestVendorMethod = "request_vendor_method",
    RequestVendorPath = "request_vendor_path",
    RequestVendorUrl = "request_vendor_url",
    RequestVendorHeaders = "request_vendor_headers",
    RequestVendorParameters = "request_vendor_parameters",
    RequestVendorBody = "request_vendor_body",
    RequestVendorBodyMap = "request_vendor_body_map",
    RequestExpression = "request_expression",
    RequestPreviousResponse = "request_previous_response",
    RequestPreviousResponseHeaders = "request_previous_response_headers",
    MetaData = "meta_data",
    Configuration = "configuration",
    ObjectName = "object_name",
    VendorObjectName = "vendor_object_name",
    MetadataMerge = "metadata_merge",
    ResponseBody = "response_body",
    ResponseBodyMap = "response_body_map",
    ResponseBodyRaw = "response_body_raw",
    ResponseBodyRawMap = "response_body_raw_map",
    ResponseHeaders = "response_headers",
    ResponseStatusCode = "response_status_code",
    ResponseIserror = "response_iserror",
    Events = "events",
}

impl Variable {
    /// The name a script uses.
    pub fn name(self) -> &'static str {
        VARIABLES[self as usize]
    }
}

/// Which of `VARIABLES` a script names, a bit each: only those are built and handed to it.
///
/// A hook sees its variables as the wrapper's `const` bindings, so a script can reach one only
/// by naming it. The scan is over the whole text, strings and comments included (a name there
/// costs a little work, nothing else); a script that could name one at run time — `eval`, or
/// an identifier spelled with a `\u` escape — reads them all. The last bit says whether it
/// names Node's module scope (`module`, `exports`, `this`): only then is one built for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads(u64);

/// The bit of `Reads` for the module scope, after every variable's.
const MODULE_SCOPE: u64 = 1 << 63;

const _: () = assert!(
    VARIABLES.len() < 64,
    "Reads keeps a bit per variable in a u64, and the last for the module scope"
);

impl Reads {
    pub const ALL: Reads = Reads(u64::MAX);

    pub fn of(source: &str) -> Reads {
        if source.contains("\\u") {
            return Reads::ALL;
        }
        let mut bits = 0u64;
        let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        for word in source.split(|c: char| !is_part(c)) {
            if word == "eval" {
                return Reads::ALL;
            }
            if matches!(word, "module" | "exports" | "this") {
                bits |= MODULE_SCOPE;
            }
            if let Some(index) = VARIABLES.iter().position(|v| *v == word) {
                bits |= 1 << index;
            }
        }
        Reads(bits)
    }

    /// Whether the script names `VARIABLES[index]`.
    pub fn contains(self, index: usize) -> bool {
        index < VARIABLES.len() && self.0 & (1 << index) != 0
    }

    /// Whether the script names `module`, `exports` or `this` (so it can see Node's module
    /// scope): the others never pay for building it.
    pub fn module_scope(self) -> bool {
        self.0 & MODULE_SCOPE != 0
    }

    /// Whether the script names `variable`.
    pub fn names(self, variable: Variable) -> bool {
        self.contains(variable as usize)
    }
}

/// The text placed before a script, all on the script's first line so that line numbers
/// of the script and of the wrapped text are the same; only columns on line 1 shift.
///
/// Only the variables the script names are bound (`reads`): the script cannot tell, and
/// thirty property reads per invocation are not free.
pub fn prefix(legacy: bool, reads: Reads) -> String {
    let bindings = VARIABLES
        .iter()
        .enumerate()
        .filter(|(index, _)| reads.contains(*index))
        .map(|(_, name)| format!("{name}=__v.{name}"))
        .collect::<Vec<_>>();
    let declaration = match bindings.is_empty() {
        true => String::new(),
        // `let`: Cloud Elements' hooks assign to their variables (the Trello export's global
        // hook does `request_vendor_parameters = ...`); each invocation has its own bindings.
        false => format!("let {};", bindings.join(",")),
    };
    // `module`, `exports` and `this` are Node's module scope (UMD libraries pasted into hooks
    // test them): made by the wrapper, so each invocation has its own; assignable, as Node's
    // parameters are.
    let scope = match reads.module_scope() {
        true => "let module={id:'.',exports:{},loaded:false},exports=module.exports;",
        false => "",
    };
    // The script is the body of an inner function: a `return` in it is the legacy result,
    // and its own declarations may shadow ours.
    if legacy {
        format!("(function(__v,done,print,base64Encode){{{scope}{declaration}return (function(){{")
    } else {
        format!(
            "(function(__v,done,print){{{scope}{declaration}return (function(){{\"use strict\";"
        )
    }
}

/// The closing text; on its own line so a script ending in a `//` comment still parses. With
/// the module scope, the body runs with `this` = the original `module.exports`, as Node's
/// module wrapper calls it.
pub fn suffix(reads: Reads) -> &'static str {
    match reads.module_scope() {
        true => "\n}).call(exports);})",
        false => "\n})();})",
    }
}

/// Wrap a script into the expression QuickJS compiles.
pub fn wrap(source: &str, legacy: bool, reads: Reads) -> String {
    let mut text = prefix(legacy, reads);
    text.push_str(source);
    text.push_str(suffix(reads));
    text
}

/// Map a (line, column) of the wrapped text to `file:line:column` in the user's file.
///
/// QuickJS counts columns in UTF-8 bytes; users (and our YAML positions) count characters,
/// so the column is converted using the script's own line.
pub fn locate(
    origin: &Origin,
    source: &str,
    prefix_len: usize,
    line: usize,
    column: usize,
) -> String {
    let byte_column = if line == 1 {
        column.saturating_sub(prefix_len).max(1)
    } else {
        column
    };
    let column = match source.lines().nth(line.saturating_sub(1)) {
        Some(text) => {
            let end = (byte_column - 1).min(text.len());
            // Step back to a character boundary rather than split a character.
            let end = (0..=end)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text[..end].chars().count() + 1
        }
        None => byte_column,
    };
    if origin.exact {
        // Every line of a block scalar shares the first line's indentation.
        let file_column = origin.column + column - 1;
        format!("{}:{}:{}", origin.file, origin.line + line - 1, file_column)
    } else {
        format!(
            "{}:{}:{} (script line {line}, column {column})",
            origin.file, origin.line, origin.column
        )
    }
}

/// Find `name:line:column` in a QuickJS stack trace and return the first line/column pair.
pub fn position_in_stack(stack: &str, name: &str) -> Option<(usize, usize)> {
    let mut rest = stack;
    while let Some(at) = rest.find(name) {
        let after = &rest[at + name.len()..];
        let mut parts = after.strip_prefix(':')?.splitn(2, ':');
        let line = parts.next().and_then(|l| l.parse().ok());
        let column = parts.next().and_then(|c| {
            let digits: String = c.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        });
        if let (Some(line), Some(column)) = (line, column) {
            return Some((line, column));
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(exact: bool) -> Origin {
        Origin {
            file: "elements/x/element.yaml".into(),
            line: 10,
            column: 7,
            exact,
        }
    }

    fn reads(source: &str) -> Vec<&'static str> {
        let reads = Reads::of(source);
        (0..VARIABLES.len())
            .filter(|&i| reads.contains(i))
            .map(|i| VARIABLES[i])
            .collect()
    }

    #[test]
    fn variables_and_their_names_line_up() {
        assert_eq!(Variable::ALL.len(), VARIABLES.len());
        assert_eq!(Variable::RequestBody.name(), "request_body");
        assert_eq!(Variable::Events.name(), "events");
        assert!(Variable::ALL
            .iter()
            .enumerate()
            .all(|(index, v)| *v as usize == index));
    }

    #[test]
    fn a_script_reads_the_variables_it_names() {
        assert_eq!(
            reads("const c = response_body;\ndone({ h: request_vendor_headers['X'] }); // configuration"),
            ["request_vendor_headers", "configuration", "response_body"]
        );
        assert!(reads("done({ response_body_x: 1, my_configuration: 2 })").is_empty());
        assert!(reads("done({})").is_empty());
    }

    #[test]
    fn only_a_script_naming_module_exports_or_this_gets_the_module_scope() {
        for source in [
            "module.exports = 1",
            "exports.a = 1",
            "f(this)",
            "eval('x')",
            "a\\u0061",
        ] {
            assert!(Reads::of(source).module_scope(), "{source}");
            assert!(wrap(source, false, Reads::of(source)).ends_with(".call(exports);})"));
        }
        for source in ["done({ modules: 1, thisOne: 2, my_exports: 3 })", ""] {
            assert!(!Reads::of(source).module_scope(), "{source}");
            assert!(!prefix(true, Reads::of(source)).contains("exports"));
            assert_eq!(suffix(Reads::of(source)), "\n})();})");
        }
    }

    #[test]
    fn a_script_that_can_name_variables_at_run_time_reads_them_all() {
        assert_eq!(Reads::of("done(eval('request_body'))"), Reads::ALL);
        assert_eq!(Reads::of("done({ b: request\\u005fbody })"), Reads::ALL);
        assert_eq!(reads("done(eval('x'))").len(), VARIABLES.len());
    }

    #[test]
    fn wrapped_lines_keep_their_numbers() {
        let wrapped = wrap("a\nb\nc", false, Reads::ALL);
        assert_eq!(wrapped.lines().nth(1), Some("b"));
        assert!(wrapped
            .lines()
            .next()
            .is_some_and(|l| l.ends_with("\"use strict\";a")));
    }

    const SOURCE: &str = "let a = 1;\nlet b = 2;\nlet c = 3;\n";

    #[test]
    fn locations_map_into_the_element_file() {
        let p = prefix(false, Reads::ALL).chars().count();
        assert_eq!(
            locate(&origin(true), "x\n'é'; y\n", p, 2, 7),
            "elements/x/element.yaml:11:12"
        );
        assert_eq!(
            locate(&origin(true), SOURCE, p, 1, p + 3),
            "elements/x/element.yaml:10:9"
        );
        assert_eq!(
            locate(&origin(true), SOURCE, p, 3, 5),
            "elements/x/element.yaml:12:11"
        );
        assert_eq!(
            locate(&origin(false), SOURCE, p, 3, 5),
            "elements/x/element.yaml:10:7 (script line 3, column 5)"
        );
    }

    #[test]
    fn stack_positions_are_found_after_the_file_name() {
        let stack = "    at <anonymous> (hooks/pre.js:3:5)\n    at f (hooks/pre.js:9:1)\n";
        assert_eq!(position_in_stack(stack, "hooks/pre.js"), Some((3, 5)));
        assert_eq!(
            position_in_stack("    at hooks/pre.js:2:9\n", "hooks/pre.js"),
            Some((2, 9))
        );
        assert_eq!(position_in_stack("    at native\n", "hooks/pre.js"), None);
    }
}
