module throttlebench

go 1.19
