module github.com/open-runtimes/types-for-go/v4

go 1.19
