module circle

go 1.19
