import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PostsService, type PostRecord } from '../posts.service.js';

/** Schema-first: the requirements are in posts.graphql; the resolvers know nothing of them. */
@Resolver('Post')
export class PostsSdlResolver {
  constructor(@Inject(PostsService) private readonly posts: PostsService) {}

  @Query('hello')
  hello(): string {
    return 'world';
  }

  @Query('allPosts')
  allPosts(): PostRecord[] {
    return this.posts.list();
  }

  @Mutation('createPost')
  createPost(@Args('title') title: string): PostRecord {
    return this.posts.create(title);
  }

  @Mutation('publishPost')
  publishPost(@Args('id') id: string): boolean {
    return this.posts.publish(id);
  }
}
