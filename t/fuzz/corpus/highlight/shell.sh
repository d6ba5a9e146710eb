Bfor f in *.md; do echo "${f%.md}" >> "$HOME/list"; done # loop
cat <<EOF
here $x
EOF
