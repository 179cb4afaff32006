package org.listgate; public class Main { public static void main(String[] a){} }
