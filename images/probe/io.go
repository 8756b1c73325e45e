package main

import "io"

type (
	readerLike = io.Reader
	writerLike = io.Writer
)
