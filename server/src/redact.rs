//! Secrets as they may be logged or printed: a database or bus URL without
//! its password, in whichever of its forms the drivers accept.

/// `url` without any password in it:
/// - `scheme://user:secret@host/...` (and `scheme://:secret@host`, Redis's
///   form) keeps the user and hides the rest of the credentials;
/// - a `password=...` parameter, in a URL's query or in a PostgreSQL
///   `key=value` connection string, keeps its name and hides its value.
pub fn url(url: &str) -> String {
    let mut out = match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    };
    // password=VALUE, wherever it stands: the value runs to the next
    // separator of either form (`&` in a query, a space in key=value).
    let mut from = 0;
    while let Some(found) = out[from..].to_ascii_lowercase().find("password=") {
        let start = from + found + "password=".len();
        let end = out[start..]
            .find(['&', ' ', '\t'])
            .map_or(out.len(), |e| start + e);
        out.replace_range(start..end, "***");
        from = start + 3;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url;

    #[test]
    fn no_form_of_a_password_survives() {
        assert_eq!(
            url("postgres://dais:s3cret@db.example.org:5432/dais"),
            "postgres://dais:***@db.example.org:5432/dais"
        );
        assert_eq!(
            url("postgres://localhost/dais"),
            "postgres://localhost/dais"
        );
        assert_eq!(
            url("redis://:s3cret@10.0.0.5:6379/"),
            "redis://:***@10.0.0.5:6379/"
        );
        assert_eq!(url("redis://dais@10.0.0.5/"), "redis://dais@10.0.0.5/");
        assert_eq!(
            url("postgres://db/dais?user=dais&password=s3cret&sslmode=disable"),
            "postgres://db/dais?user=dais&password=***&sslmode=disable"
        );
        assert_eq!(
            url("host=db user=dais PASSWORD=s3cret dbname=dais"),
            "host=db user=dais PASSWORD=*** dbname=dais"
        );
        assert_eq!(url("password=a password=b"), "password=*** password=***");
    }
}
