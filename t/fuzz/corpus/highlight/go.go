Cpackage main

import "fmt"

func main() {
	fmt.Println(`raw
string`, 0x1F, 'x')
}
