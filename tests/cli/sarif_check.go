// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause

// sarif_check FILE: checks a SARIF log against the SARIF 2.1.0 object model
// that Debian ships as Go types generated from the OASIS schema
// (golang-github-haya14busa-go-sarif-dev): every property is one the schema
// defines for that object, of its JSON type; every property the schema
// requires is there; a string of an enumerated type is one of its values
// (read from the constants of the package's source). Property bags are open,
// as the schema says. Exits 1 with one line per problem.
//
// Run in GOPATH mode: GO111MODULE=off GOPATH=/usr/share/gocode go run sarif_check.go FILE
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/haya14busa/go-sarif/sarif"
)

var (
	problems []string
	enums    = map[string][]string{} // a named string type: its values
	bagType  = reflect.TypeOf(sarif.PropertyBag{})
)

func bad(path, format string, args ...interface{}) {
	problems = append(problems, path+": "+fmt.Sprintf(format, args...))
}

// The string constants of each named type in the package's source.
func readEnums() error {
	dir := filepath.Join(os.Getenv("GOPATH"), "src/github.com/haya14busa/go-sarif/sarif")
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, nil, 0)
	if err != nil {
		return err
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, s := range g.Specs {
					v := s.(*ast.ValueSpec)
					id, ok := v.Type.(*ast.Ident)
					if !ok || len(v.Values) != 1 {
						continue
					}
					lit, ok := v.Values[0].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					val, _ := strconv.Unquote(lit.Value)
					enums[id.Name] = append(enums[id.Name], val)
				}
			}
		}
	}
	return nil
}

func check(v interface{}, t reflect.Type, path string) {
	for t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	if t == bagType {
		if _, ok := v.(map[string]interface{}); !ok {
			bad(path, "a property bag must be an object")
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]interface{})
		if !ok {
			bad(path, "want an object (%s)", t.Name())
			return
		}
		known := map[string]bool{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")
			if tag[0] == "" || tag[0] == "-" {
				continue
			}
			known[tag[0]] = true
			val, present := obj[tag[0]]
			optional := len(tag) > 1 && tag[1] == "omitempty"
			if !present {
				if !optional {
					bad(path, "the required property %q is missing (%s)", tag[0], t.Name())
				}
				continue
			}
			check(val, f.Type, path+"."+tag[0])
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !known[k] {
				bad(path, "%q is not a property of %s", k, t.Name())
			}
		}
	case reflect.Slice:
		arr, ok := v.([]interface{})
		if !ok {
			bad(path, "want an array")
			return
		}
		for i, e := range arr {
			check(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		obj, ok := v.(map[string]interface{})
		if !ok {
			bad(path, "want an object")
			return
		}
		for k, e := range obj {
			check(e, t.Elem(), path+"."+k)
		}
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			bad(path, "want a string")
			return
		}
		if vals, isEnum := enums[t.Name()]; isEnum {
			for _, e := range vals {
				if s == e {
					return
				}
			}
			bad(path, "%q is not a %s (%s)", s, t.Name(), strings.Join(vals, ", "))
		}
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			bad(path, "want an integer")
		}
	case reflect.Float64:
		n, ok := v.(json.Number)
		if _, err := n.Float64(); !ok || err != nil {
			bad(path, "want a number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad(path, "want true or false")
		}
	case reflect.Interface:
	default:
		bad(path, "no check for %s", t.Kind())
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sarif_check FILE")
		os.Exit(2)
	}
	if err := readEnums(); err != nil || len(enums) == 0 {
		fmt.Fprintln(os.Stderr, "sarif_check: cannot read the object model's source:", err)
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sarif_check:", err)
		os.Exit(2)
	}
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var doc interface{}
	if err := dec.Decode(&doc); err != nil {
		fmt.Println("not JSON:", err)
		os.Exit(1)
	}
	check(doc, reflect.TypeOf(sarif.Sarif{}), "$")
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}
