@fn main() {
    let s = r#"a "raw" string"#; // comment
    /* block */ println!("{}", s);
}
