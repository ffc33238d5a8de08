module circlebench

go 1.19
